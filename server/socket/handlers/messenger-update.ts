import { announceConversation } from '#server/messenger/fanout.ts'
import {
  getConversationSummary,
  listMemberIds,
  updateConversation,
} from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** Renames a group/channel or changes its description (its admins). */
export const handleMessengerUpdate: EventHandler<'messenger:update'> = async (
  { app, io, socket, log },
  payload,
) => {
  const userId = socket.data.userId
  await updateConversation({ db: app.db, userId, ...payload })
  const memberIds = await listMemberIds({ db: app.db, conversationId: payload.conversationId })
  await announceConversation({
    app,
    io,
    log,
    conversationId: payload.conversationId,
    userIds: memberIds,
  })
  return {
    conversation: await getConversationSummary({
      db: app.db,
      userId,
      conversationId: payload.conversationId,
    }),
  }
}
