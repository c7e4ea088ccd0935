import { socketRooms } from '#core/protocol/signaling.ts'
import { closeProducers } from '#server/media/moderation.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { stopParticipantMedia } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** Closes the person's camera on the SFU (the node tells the room); they are told who did it. */
export const handleModerationStopCamera: EventHandler<'moderation:stopCamera'> = async (
  { app, io, socket },
  { userId },
) => {
  const session = requireMediaSession(socket.data)
  const { actorName } = await stopParticipantMedia({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    media: 'camera',
    ip: socket.handshake.address,
  })
  await closeProducers({ rpc: app.mediaRpc, session, userId, sources: ['camera'] })
  io.to(socketRooms.user(userId)).emit('moderation:applied', {
    action: 'stopCamera',
    byName: actorName,
  })
  return {}
}
