import { requireMediaSession } from '#server/media/peer-calls.ts'
import { sendMeetingMessage } from '#server/media/meeting-chat.ts'
import type { EventHandler } from '../handler.ts'

/** The socket path of the meeting chat (no SCTP); acked once the message is stored. */
export const handleChatSend: EventHandler<'chat:send'> = async (context, payload) => {
  const session = requireMediaSession(context.socket.data)
  const message = await sendMeetingMessage({ ...context, session, ...payload })
  return { message }
}
