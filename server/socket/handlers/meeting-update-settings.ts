import { socketRooms } from '#core/protocol/signaling.ts'
import { updateMeetingSettings } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler } from '../handler.ts'

export const handleMeetingUpdateSettings: EventHandler<'meeting:updateSettings'> = async (
  context,
  patch,
) => {
  const { io } = context
  const { session, actor } = requireSessionActor(context)
  const { settings } = await updateMeetingSettings({ ...actor, patch })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:settings', { settings })
  return { settings }
}
