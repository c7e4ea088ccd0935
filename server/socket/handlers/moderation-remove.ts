import { socketRooms } from '#core/protocol/signaling.ts'
import { removeParticipant } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

/**
 * The person is out: status 'removed' in the database (media:join and the invite link refuse them
 * from now on), their media sessions in this meeting end on every web instance, and their sockets
 * hear `participant:status` removed.
 */
export const handleModerationRemove: EventHandler<'moderation:remove'> = async (
  context,
  { userId },
) => {
  const { io } = context
  const { session, actor } = requireSessionActor(context)
  const { actorName, inviteCode } = await removeParticipant({ ...actor, targetUserId: userId })
  const user = socketRooms.user(userId)
  io.to(user).emit('moderation:applied', { action: 'remove', byName: actorName })
  io.to(user).emit('participant:status', { inviteCode, status: 'removed' })
  context.releaseParticipant(session.meetingId, userId)
  return {}
}
