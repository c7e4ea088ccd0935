import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { removeParticipant } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/**
 * The person is out: status 'removed' in the database (media:join and the invite link refuse them
 * from now on), their media sessions in this meeting end on every web instance, and their sockets
 * hear `participant:status` removed.
 */
export const handleModerationRemove: EventHandler<'moderation:remove'> = async (
  context,
  { userId },
) => {
  const { app, io, socket } = context
  const session = requireMediaSession(socket.data)
  const { actorName, inviteCode } = await removeParticipant({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    ip: socket.handshake.address,
  })
  const user = socketRooms.user(userId)
  io.to(user).emit('moderation:applied', { action: 'remove', byName: actorName })
  io.to(user).emit('participant:status', { inviteCode, status: 'removed' })
  context.releaseParticipant(session.meetingId, userId)
  return {}
}
