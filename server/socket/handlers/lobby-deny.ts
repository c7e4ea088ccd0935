import { socketRooms } from '#core/protocol/signaling.ts'
import { denyFromLobby } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

export const handleLobbyDeny: EventHandler<'lobby:deny'> = async (context, { userId }) => {
  const { app, io } = context
  const { session, actor } = requireSessionActor(context)
  const { inviteCode } = await denyFromLobby({ ...actor, targetUserId: userId })
  io.to(socketRooms.user(userId)).emit('participant:status', { inviteCode, status: 'denied' })
  await app.realtime.lobbyChanged(session.meetingId)
  return {}
}
