import { announceMessage, announceToMeetingRoom } from '#server/messenger/fanout.ts'
import { presenceOf } from '#server/messenger/presence.ts'
import { postConversationMessage } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/**
 * Acked only after the message is committed; a retry with the same idempotency key gets the stored
 * message back and announces it again (clients drop seqs they already have).
 */
export const handleMessengerPost: EventHandler<'messenger:post'> = async (context, payload) => {
  const { app, io, socket } = context
  const userId = socket.data.userId
  await app.rateLimits.consume('messengerPost', userId)
  const { message, isNew, meetingId } = await postConversationMessage({
    db: app.db,
    userId,
    ...payload,
  })
  await announceMessage({ app, io, message, notifyMentions: isNew })
  if (isNew && meetingId !== null) await announceToMeetingRoom({ app, io, message, meetingId })
  void presenceOf(io)
    .set(socket, 'online')
    .catch(() => undefined)
  return { message }
}
