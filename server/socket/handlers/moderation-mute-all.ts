import { socketRooms } from '#core/protocol/signaling.ts'
import { pauseMicrophones } from '#server/media/moderation.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { muteAllParticipants } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** Mutes everyone the moderator may moderate (not the moderator), on the SFU too. */
export const handleModerationMuteAll: EventHandler<'moderation:muteAll'> = async ({
  app,
  io,
  socket,
}) => {
  const session = requireMediaSession(socket.data)
  const { participants, actorName } = await muteAllParticipants({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    ip: socket.handshake.address,
  })
  const userIds = participants.map((participant) => participant.userId)
  await pauseMicrophones({ rpc: app.mediaRpc, io, session, userIds })
  for (const participant of participants) {
    io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
    io.to(socketRooms.user(participant.userId)).emit('moderation:applied', {
      action: 'mute',
      byName: actorName,
    })
  }
  return {}
}
