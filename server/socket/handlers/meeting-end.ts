import { forgetRoomPlacement } from '#server/media/placement.ts'
import { nodeOf, requireMediaSession } from '#server/media/peer-calls.ts'
import { endMeeting } from '#server/services/meetings.ts'
import type { EventHandler } from '../handler.ts'

/**
 * Ends the meeting for everyone: the row becomes 'ended', every instance tells its sockets
 * (`meeting:ended`) and drops their media sessions, then the room closes on its node.
 */
export const handleMeetingEnd: EventHandler<'meeting:end'> = async (context) => {
  const { app, socket, log } = context
  const session = requireMediaSession(socket.data)
  const { hasEnded } = await endMeeting({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    ip: socket.handshake.address,
  })
  context.announceMeetingEnded(session.meetingId)
  const closed = await app.mediaRpc.call(nodeOf(session), 'closeRoom', {
    roomId: session.meetingId,
  })
  if (!closed.ok) {
    log.warn({ meetingId: session.meetingId, code: closed.code }, 'closing the media room failed')
  }
  await forgetRoomPlacement({
    redis: app.redis,
    prefix: app.env.REDIS_PREFIX,
    meetingId: session.meetingId,
  })
  log.info({ meetingId: session.meetingId, userId: socket.data.userId, hasEnded }, 'meeting ended')
  return {}
}
