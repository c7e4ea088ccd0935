import { socketRooms } from '#core/protocol/signaling.ts'
import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

/**
 * The client's DataConsumer of the room's chat DataProducer. From now on this socket gets chat over
 * it instead of chat:message (until it leaves, or the room is rebuilt).
 */
export const handleMediaConsumeData: EventHandler<'media:consumeData'> = async ({
  app,
  socket,
}) => {
  const session = requireMediaSession(socket.data)
  const options = await callAsPeer(app.mediaRpc, session, 'consumeData', {})
  if (socket.data.media === session) await socket.join(socketRooms.chatData(session.meetingId))
  return options
}
