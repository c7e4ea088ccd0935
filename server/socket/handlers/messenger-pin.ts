import { announceMessage } from '#server/messenger/fanout.ts'
import { pinMessage } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

export const handleMessengerPin: EventHandler<'messenger:pin'> = async (
  { app, io, socket },
  payload,
) => {
  const message = await pinMessage({ db: app.db, userId: socket.data.userId, ...payload })
  await announceMessage({ app, io, message, event: 'messenger:messageUpdated' })
  return { message }
}
