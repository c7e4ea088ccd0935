import { announceMessage } from '#server/messenger/fanout.ts'
import { forwardMessage } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** A copy in another conversation with "forwarded from"; idempotent like messenger:post. */
export const handleMessengerForward: EventHandler<'messenger:forward'> = async (
  { app, io, socket },
  payload,
) => {
  const userId = socket.data.userId
  await app.rateLimits.consume('messengerPost', userId)
  const { message } = await forwardMessage({ db: app.db, userId, ...payload })
  await announceMessage({ app, io, message })
  return { message }
}
