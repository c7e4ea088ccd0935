import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { lowerAllHands } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleHandLowerAll: EventHandler<'hand:lowerAll'> = async ({ app, io, socket }) => {
  const session = requireMediaSession(socket.data)
  const { lowered, actorName } = await lowerAllHands({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    ip: socket.handshake.address,
  })
  for (const participant of lowered) {
    io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
    if (participant.userId !== socket.data.userId) {
      io.to(socketRooms.user(participant.userId)).emit('moderation:applied', {
        action: 'lowerHand',
        byName: actorName,
      })
    }
  }
  return {}
}
