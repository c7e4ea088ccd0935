import { socketRooms } from '#core/protocol/signaling.ts'
import { lowerAllHands } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

export const handleHandLowerAll: EventHandler<'hand:lowerAll'> = async (context) => {
  const { io, socket } = context
  const { session, actor } = requireSessionActor(context)
  const { lowered, actorName } = await lowerAllHands(actor)
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
