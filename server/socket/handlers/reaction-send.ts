import { AppError } from '#core/errors.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import { authorizeMeetingAction } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'
import type { IoSocket } from '../types.ts'

/** At most this many reactions per socket in any REACTION_WINDOW_MS. */
export const REACTIONS_PER_WINDOW = 5
export const REACTION_WINDOW_MS = 1_000

/** Send times of each socket's recent reactions (gone with the socket). */
const recentReactions = new WeakMap<IoSocket, number[]>()

function takeReactionSlot(socket: IoSocket): boolean {
  const now = Date.now()
  const recent = (recentReactions.get(socket) ?? []).filter((at) => now - at < REACTION_WINDOW_MS)
  const isAllowed = recent.length < REACTIONS_PER_WINDOW
  if (isAllowed) recent.push(now)
  recentReactions.set(socket, recent)
  return isAllowed
}

/** An emoji floating over the sender's tile, for everyone in the room (the sender too). */
export const handleReactionSend: EventHandler<'reaction:send'> = async (
  { app, io, socket },
  { emoji },
) => {
  const session = requireMediaSession(socket.data)
  if (!takeReactionSlot(socket)) {
    throw new AppError('RATE_LIMITED', 'Too many reactions: at most 5 a second')
  }
  await authorizeMeetingAction({
    db: app.db,
    meetingId: session.meetingId,
    userId: socket.data.userId,
    action: 'reaction.send',
  })
  io.to(socketRooms.meeting(session.meetingId)).emit('meeting:reaction', {
    peerId: session.peerId,
    userId: socket.data.userId,
    emoji,
  })
  return {}
}
