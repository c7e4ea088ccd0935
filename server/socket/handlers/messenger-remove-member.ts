import {
  announceConversation,
  emitToUsers,
  leaveConversationRoom,
} from '#server/messenger/fanout.ts'
import { removeMember } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** An admin removes someone, or a member leaves (userId = self). */
export const handleMessengerRemoveMember: EventHandler<'messenger:removeMember'> = async (
  { app, io, socket, log },
  payload,
) => {
  const userId = socket.data.userId
  await removeMember({
    db: app.db,
    userId,
    conversationId: payload.conversationId,
    memberId: payload.userId,
  })
  // Before the ack: nothing posted after the removal reaches the removed member's sockets.
  leaveConversationRoom(io, payload.userId, payload.conversationId)
  emitToUsers(io, [payload.userId], 'messenger:removed', { conversationId: payload.conversationId })
  if (payload.userId !== userId) {
    await announceConversation({
      app,
      io,
      log,
      conversationId: payload.conversationId,
      userIds: [userId],
    })
  }
  return {}
}
