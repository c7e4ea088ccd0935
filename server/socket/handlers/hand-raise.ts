import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { raiseHand } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

export const handleHandRaise: EventHandler<'hand:raise'> = async ({ app, io, socket }) => {
  const session = requireMediaSession(socket.data)
  const participant = await raiseHand({
    db: app.db,
    meetingId: session.meetingId,
    userId: socket.data.userId,
  })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:participant', { participant })
  return {}
}
