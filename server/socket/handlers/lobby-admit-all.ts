import { socketRooms } from '#core/protocol/signaling.ts'
import { admitAllFromLobby } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

export const handleLobbyAdmitAll: EventHandler<'lobby:admitAll'> = async (context) => {
  const { app, io } = context
  const { session, actor } = requireSessionActor(context)
  const { admitted, inviteCode } = await admitAllFromLobby(actor)
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
