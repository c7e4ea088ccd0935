import { isModeratorRole } from '#core/permissions.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import { setParticipantRole } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

/**
 * The organizer gives someone another role. A new moderator's sockets in this meeting (on any
 * instance) join the moderators' room and get the lobby; a former one's leave it.
 */
export const handleMeetingSetRole: EventHandler<'meeting:setRole'> = async (
  context,
  { userId, role },
) => {
  const { app, io } = context
  const { session, actor } = requireSessionActor(context)
  const meetingId = session.meetingId
  const { participant, previousRole } = await setParticipantRole({
    ...actor,
    targetUserId: userId,
    role,
  })
  const moderators = socketRooms.moderators(meetingId)
  if (isModeratorRole(role) && !isModeratorRole(previousRole)) {
    const sockets = await io.in(socketRooms.user(userId)).fetchSockets()
    for (const target of sockets) {
      if (target.data.media?.meetingId === meetingId) target.join(moderators)
    }
    await app.realtime.lobbyChanged(meetingId)
  } else if (!isModeratorRole(role)) {
    io.in(socketRooms.user(userId)).socketsLeave(moderators)
  }
  io.to(socketRooms.meeting(meetingId)).emit('meeting:participant', { participant })
  return {}
}
