import { socketRooms } from '#core/protocol/signaling.ts'
import { closeProducers } from '#server/media/moderation.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { stopParticipantMedia } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** Closes the person's screen share (video and its audio) on the SFU. */
export const handleModerationStopScreen: EventHandler<'moderation:stopScreen'> = async (
  { app, io, socket },
  { userId },
) => {
  const session = requireMediaSession(socket.data)
  const { actorName } = await stopParticipantMedia({
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    targetUserId: userId,
    media: 'screen',
    ip: socket.handshake.address,
  })
  await closeProducers({ rpc: app.mediaRpc, session, userId, sources: ['screen', 'screen-audio'] })
  io.to(socketRooms.user(userId)).emit('moderation:applied', {
    action: 'stopScreen',
    byName: actorName,
  })
  return {}
}
