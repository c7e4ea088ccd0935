import { randomUUID } from 'node:crypto'
import { AppError } from '#core/errors.ts'
import { isModeratorRole } from '#core/permissions.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import { authorizeMediaJoin, closeMediaSession, openMediaSession } from '#server/media/sessions.ts'
import { joinConversationRoom } from '#server/messenger/fanout.ts'
import { joinMeetingConversation } from '#server/services/chat.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaJoin: EventHandler<'media:join'> = async (context, { inviteCode }) => {
  const { app, socket } = context
  if (socket.data.media) throw new AppError('CONFLICT', 'Already in a meeting: leave it first')
  const { meeting, participant } = await authorizeMediaJoin({
    db: app.db,
    inviteCode,
    userId: socket.data.userId,
  })
  // Everyone admitted is a member of the meeting's chat: history now, the transcript afterwards.
  // Independent of the media session, so it runs alongside it.
  const membership = joinMeetingConversation({
    db: app.db,
    meetingId: meeting.id,
    userId: participant.userId,
    role: isModeratorRole(participant.role) ? 'admin' : 'member',
  })
  membership.catch(() => {}) // awaited below, after the media session
  const peerId = randomUUID()
  const rooms = [socketRooms.meeting(meeting.id), socketRooms.peer(peerId)]
  // Moderators hear lobby changes; a later promotion or demotion moves the user's sockets.
  if (isModeratorRole(participant.role)) rooms.push(socketRooms.moderators(meeting.id))
  // In the rooms before the node's peer list is taken, so a producer that appears meanwhile is
  // announced rather than missed (the client de-duplicates by producer id).
  await socket.join(rooms)
  let opened
  try {
    opened = await openMediaSession({
      db: app.db,
      redis: app.redis,
      redisPrefix: app.env.REDIS_PREFIX,
      rpc: app.mediaRpc,
      log: context.log,
      meeting,
      participant,
      peerId,
    })
    await membership
  } catch (error) {
    if (opened) {
      await closeMediaSession({
        db: app.db,
        rpc: app.mediaRpc,
        log: context.log,
        session: opened.session,
        userId: participant.userId,
      })
    }
    for (const room of rooms) await socket.leave(room)
    throw error
  }
  socket.data.media = opened.session
  // The user's tabs (this one and their messenger) hear the meeting chat as its members.
  joinConversationRoom(context.io, [participant.userId], await membership)
  socket.to(socketRooms.meeting(meeting.id)).emit('media:peerJoined', {
    peer: {
      peerId,
      userId: participant.userId,
      displayName: participant.displayName,
      role: participant.role,
      producers: [],
    },
  })
  context.log.info({ meetingId: meeting.id, peerId, userId: participant.userId }, 'media joined')
  return {
    peerId,
    routerRtpCapabilities: opened.rtpCapabilities,
    peers: opened.peers.filter((peer) => peer.peerId !== peerId),
  }
}
