import { socketRooms } from '#core/protocol/signaling.ts'
import { pauseMicrophones } from '#server/media/moderation.ts'
import { muteParticipant } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

/** Marks the person muted by a moderator and pauses their microphone on the SFU. */
export const handleModerationMute: EventHandler<'moderation:mute'> = async (
  context,
  { userId },
) => {
  const { app, io } = context
  const { session, actor } = requireSessionActor(context)
  const { participant, actorName } = await muteParticipant({ ...actor, targetUserId: userId })
  await pauseMicrophones({ rpc: app.mediaRpc, io, session, userIds: [userId] })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  io.to(socketRooms.user(userId)).emit('moderation:applied', { action: 'mute', byName: actorName })
  return {}
}
