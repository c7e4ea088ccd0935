import { socketRooms } from '#core/protocol/signaling.ts'
import { pauseMicrophones } from '#server/media/moderation.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { muteParticipant } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** Marks the person muted by a moderator and pauses their microphone on the SFU. */
export const handleModerationMute: EventHandler<'moderation:mute'> = async (
  { app, io, socket },
  { userId },
) => {
  const session = requireMediaSession(socket.data)
  const { participant, actorName } = await muteParticipant({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    ip: socket.handshake.address,
  })
  await pauseMicrophones({ rpc: app.mediaRpc, io, session, userIds: [userId] })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  io.to(socketRooms.user(userId)).emit('moderation:applied', { action: 'mute', byName: actorName })
  return {}
}
