import { announceConversation } from '#server/messenger/fanout.ts'
import { createDirectConversation } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** The direct chat with someone in the organization (the same one every time). */
export const handleMessengerCreateDirect: EventHandler<'messenger:createDirect'> = async (
  { app, io, socket, log },
  payload,
) => {
  const userId = socket.data.userId
  const { conversation, isNew } = await createDirectConversation({
    db: app.db,
    userId,
    otherUserId: payload.userId,
  })
  if (isNew) {
    await announceConversation({
      app,
      io,
      log,
      conversationId: conversation.id,
      userIds: [userId, payload.userId],
    })
  }
  return { conversation }
}
