import { announceMessage } from '#server/messenger/fanout.ts'
import { deleteMessage } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** The author (or a group/channel admin) deletes a message; it stays as "deleted". */
export const handleMessengerDelete: EventHandler<'messenger:delete'> = async (
  { app, io, socket },
  payload,
) => {
  const message = await deleteMessage({ db: app.db, userId: socket.data.userId, ...payload })
  await announceMessage({ app, io, message, event: 'messenger:messageUpdated' })
  return { message }
}
