import { announceConversation } from '#server/messenger/fanout.ts'
import { setMemberRole } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** Group/channel admins make someone an admin (channel: may post) or a member again. */
export const handleMessengerSetMemberRole: EventHandler<'messenger:setMemberRole'> = async (
  { app, io, socket, log },
  payload,
) => {
  const userId = socket.data.userId
  await setMemberRole({
    db: app.db,
    userId,
    conversationId: payload.conversationId,
    memberId: payload.userId,
    role: payload.role,
  })
  await announceConversation({
    app,
    io,
    log,
    conversationId: payload.conversationId,
    userIds: [userId, payload.userId],
  })
  return {}
}
