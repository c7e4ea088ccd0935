import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { updateMeetingSettings } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleMeetingUpdateSettings: EventHandler<'meeting:updateSettings'> = async (
  { app, io, socket },
  patch,
) => {
  const session = requireMediaSession(socket.data)
  const { settings } = await updateMeetingSettings({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    patch,
    ip: socket.handshake.address,
  })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:settings', { settings })
  return { settings }
}
