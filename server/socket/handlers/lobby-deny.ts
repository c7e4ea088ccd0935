import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { denyFromLobby } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleLobbyDeny: EventHandler<'lobby:deny'> = async (
  { app, io, socket },
  { userId },
) => {
  const session = requireMediaSession(socket.data)
  const { inviteCode } = await denyFromLobby({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    ip: socket.handshake.address,
  })
  io.to(socketRooms.user(userId)).emit('participant:status', { inviteCode, status: 'denied' })
  await app.realtime.lobbyChanged(session.meetingId)
  return {}
}
