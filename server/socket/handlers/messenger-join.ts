import { emitToUsers, joinConversationRoom } from '#server/messenger/fanout.ts'
import { joinChannel } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** Joins a public channel from the directory. */
export const handleMessengerJoin: EventHandler<'messenger:join'> = async (
  { app, io, socket },
  payload,
) => {
  const userId = socket.data.userId
  const conversation = await joinChannel({ db: app.db, userId, ...payload })
  joinConversationRoom(io, [userId], conversation.id)
  emitToUsers(io, [userId], 'messenger:conversation', { conversation })
  return { conversation }
}
