import { socketRooms } from '#core/protocol/signaling.ts'
import { admitFromLobby } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

/** Lets the person in; their waiting page hears it and enters, the room sees them arrive. */
export const handleLobbyAdmit: EventHandler<'lobby:admit'> = async (context, { userId }) => {
  const { app, io } = context
  const { session, actor } = requireSessionActor(context)
  const { participant, inviteCode } = await admitFromLobby({ ...actor, targetUserId: userId })
  io.to(socketRooms.user(userId)).emit('participant:status', { inviteCode, status: 'admitted' })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  await app.realtime.lobbyChanged(session.meetingId)
  return {}
}
