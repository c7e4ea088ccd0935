import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { admitFromLobby } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** Lets the person in; their waiting page hears it and enters, the room sees them arrive. */
export const handleLobbyAdmit: EventHandler<'lobby:admit'> = async (
  { app, io, socket },
  { userId },
) => {
  const session = requireMediaSession(socket.data)
  const { participant, inviteCode } = await admitFromLobby({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    ip: socket.handshake.address,
  })
  io.to(socketRooms.user(userId)).emit('participant:status', { inviteCode, status: 'admitted' })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  await app.realtime.lobbyChanged(session.meetingId)
  return {}
}
