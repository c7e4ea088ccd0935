import { socketRooms } from '#core/protocol/signaling.ts'
import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaProduce: EventHandler<'media:produce'> = async (
  { app, socket },
  payload,
) => {
  const session = requireMediaSession(socket.data)
  const { producerId } = await callAsPeer(app.mediaRpc, session, 'produce', payload)
  socket.to(socketRooms.meeting(session.meetingId)).emit('media:newProducer', {
    peerId: session.peerId,
    producerId,
    kind: payload.kind,
    source: payload.source,
    paused: payload.paused,
  })
  return { producerId }
}
