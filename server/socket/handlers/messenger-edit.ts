import { announceMessage } from '#server/messenger/fanout.ts'
import { editMessage } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** The author edits a message; every member's tabs get messenger:messageUpdated. */
export const handleMessengerEdit: EventHandler<'messenger:edit'> = async (
  { app, io, socket },
  payload,
) => {
  const message = await editMessage({ db: app.db, userId: socket.data.userId, ...payload })
  await announceMessage({ app, io, message, event: 'messenger:messageUpdated' })
  return { message }
}
