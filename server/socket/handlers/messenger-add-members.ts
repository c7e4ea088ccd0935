import { announceConversation } from '#server/messenger/fanout.ts'
import { addMembers, getConversationSummary } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** Group/channel admins add people of the organization; the new members see it appear. */
export const handleMessengerAddMembers: EventHandler<'messenger:addMembers'> = async (
  { app, io, socket, log },
  payload,
) => {
  const userId = socket.data.userId
  const added = await addMembers({ db: app.db, userId, ...payload })
  await announceConversation({
    app,
    io,
    log,
    conversationId: payload.conversationId,
    userIds: [userId, ...added],
  })
  return {
    conversation: await getConversationSummary({
      db: app.db,
      userId,
      conversationId: payload.conversationId,
    }),
  }
}
