import { announceMessage } from '#server/messenger/fanout.ts'
import { reactToMessage } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

export const handleMessengerReact: EventHandler<'messenger:react'> = async (
  { app, io, socket },
  payload,
) => {
  const message = await reactToMessage({ db: app.db, userId: socket.data.userId, ...payload })
  await announceMessage({ app, io, message, event: 'messenger:messageUpdated' })
  return { message }
}
