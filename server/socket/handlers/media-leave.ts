import { socketRooms } from '#core/protocol/signaling.ts'
import { closeMediaSession } from '#server/media/sessions.ts'
import type { EventHandler, HandlerContext } from '../handler.ts'

/** Ends the socket's media session, if any: also what a disconnect does. */
export async function leaveMedia(context: HandlerContext): Promise<void> {
  const { socket, io } = context
  const session = socket.data.media
  if (!session) return
  socket.data.media = undefined
  await socket.leave(socketRooms.meeting(session.meetingId))
  await socket.leave(socketRooms.peer(session.peerId))
  await socket.leave(socketRooms.chatData(session.meetingId))
  await socket.leave(socketRooms.moderators(session.meetingId))
  try {
    await closeMediaSession({
      db: context.app.db,
      rpc: context.app.mediaRpc,
      log: context.log,
      session,
      userId: socket.data.userId,
    })
  } finally {
    // Only once the node no longer lists the peer: someone joining meanwhile is in the room before
    // the node gives them its peer list, so either that list lacks the peer or they hear this.
    io.to(socketRooms.meeting(session.meetingId)).emit('media:peerLeft', { peerId: session.peerId })
  }
  context.log.info({ meetingId: session.meetingId, peerId: session.peerId }, 'media left')
}

export const handleMediaLeave: EventHandler<'media:leave'> = async (context) => {
  await leaveMedia(context)
  return {}
}
