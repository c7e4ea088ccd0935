import { socketRooms } from '#core/protocol/signaling.ts'
import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import {
  authorizeMicrophoneUnmute,
  authorizeScreenShare,
} from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaProduce: EventHandler<'media:produce'> = async (
  { app, io, socket },
  payload,
) => {
  const session = requireMediaSession(socket.data)
  const who = { db: app.db, meetingId: session.meetingId, userId: socket.data.userId }
  // The meeting's policies, from the database as they are now (core/permissions.ts).
  if (payload.source === 'screen' || payload.source === 'screen-audio') {
    await authorizeScreenShare(who)
  }
  if (payload.source === 'microphone' && !payload.paused) {
    const { lifted } = await authorizeMicrophoneUnmute(who)
    if (lifted) {
      io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', {
        participant: lifted,
      })
    }
  }
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
