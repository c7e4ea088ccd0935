import { socketRooms } from '#core/protocol/signaling.ts'
import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaPauseProducer: EventHandler<'media:pauseProducer'> = async (
  { app, socket },
  { producerId },
) => {
  const session = requireMediaSession(socket.data)
  await callAsPeer(app.mediaRpc, session, 'pauseProducer', { producerId })
  socket
    .to(socketRooms.meeting(session.meetingId))
    .emit('media:producerPaused', { peerId: session.peerId, producerId })
  return {}
}
