import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { admitAllFromLobby } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleLobbyAdmitAll: EventHandler<'lobby:admitAll'> = async ({ app, io, socket }) => {
  const session = requireMediaSession(socket.data)
  const { admitted, inviteCode } = await admitAllFromLobby({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    ip: socket.handshake.address,
  })
  for (const participant of admitted) {
    io.to(socketRooms.user(participant.userId)).emit('participant:status', {
      inviteCode,
      status: 'admitted',
    })
    io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  }
  await app.realtime.lobbyChanged(session.meetingId)
  return {}
}
