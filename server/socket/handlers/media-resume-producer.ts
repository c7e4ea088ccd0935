import { socketRooms } from '#core/protocol/signaling.ts'
import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaResumeProducer: EventHandler<'media:resumeProducer'> = async (
  { app, socket },
  { producerId },
) => {
  const session = requireMediaSession(socket.data)
  await callAsPeer(app.mediaRpc, session, 'resumeProducer', { producerId })
  socket
    .to(socketRooms.meeting(session.meetingId))
    .emit('media:producerResumed', { peerId: session.peerId, producerId })
  return {}
}
