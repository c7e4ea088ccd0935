import { socketRooms } from '#core/protocol/signaling.ts'
import { lowerHand } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

/** My hand, or (moderators) someone else's, who is told who lowered it. */
export const handleHandLower: EventHandler<'hand:lower'> = async (context, { userId }) => {
  const { io } = context
  const { session, actor } = requireSessionActor(context)
  const { participant, isOwn, actorName } = await lowerHand({ ...actor, targetUserId: userId })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  if (!isOwn) {
    io.to(socketRooms.user(participant.userId)).emit('moderation:applied', {
      action: 'lowerHand',
      byName: actorName,
    })
  }
  return {}
}
