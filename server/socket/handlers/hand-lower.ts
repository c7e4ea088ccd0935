import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { lowerHand } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** My hand, or (moderators) someone else's, who is told who lowered it. */
export const handleHandLower: EventHandler<'hand:lower'> = async (
  { app, io, socket },
  { userId },
) => {
  const session = requireMediaSession(socket.data)
  const { participant, isOwn, actorName } = await lowerHand({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    ip: socket.handshake.address,
  })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  if (!isOwn) {
    io.to(socketRooms.user(participant.userId)).emit('moderation:applied', {
      action: 'lowerHand',
      byName: actorName,
    })
  }
  return {}
}
