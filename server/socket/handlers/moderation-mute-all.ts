import { socketRooms } from '#core/protocol/signaling.ts'
import { pauseMicrophones } from '#server/media/moderation.ts'
import { muteAllParticipants } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

/** Mutes everyone the moderator may moderate (not the moderator), on the SFU too. */
export const handleModerationMuteAll: EventHandler<'moderation:muteAll'> = async (context) => {
  const { app, io } = context
  const { session, actor } = requireSessionActor(context)
  const { participants, actorName } = await muteAllParticipants(actor)
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
