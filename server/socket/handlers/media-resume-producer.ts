import { socketRooms } from '#core/protocol/signaling.ts'
import { findProducers } from '#server/media/moderation.ts'
import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import { authorizeMicrophoneUnmute, isForceMuted } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaResumeProducer: EventHandler<'media:resumeProducer'> = async (
  { app, io, socket },
  { producerId },
) => {
  const session = requireMediaSession(socket.data)
  const who = { db: app.db, meetingId: session.meetingId, userId: socket.data.userId }
  // Muted by a moderator: resuming this peer's microphone needs permission (and then lifts the
  // mark). Only then is the node asked which producer this is.
  if (await isForceMuted(who)) {
    const microphones = await findProducers({
      rpc: app.mediaRpc,
      session,
      userIds: [socket.data.userId],
      sources: ['microphone'],
    })
    if (microphones.some((producer) => producer.producerId === producerId)) {
      const { lifted } = await authorizeMicrophoneUnmute(who)
      if (lifted) {
        io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', {
          participant: lifted,
        })
      }
    }
  }
  await callAsPeer(app.mediaRpc, session, 'resumeProducer', { producerId })
  socket
    .to(socketRooms.meeting(session.meetingId))
    .emit('media:producerResumed', { peerId: session.peerId, producerId })
  return {}
}
