// socket.io gateway on the web process's HTTP server. Connections authenticate with the same
// better-auth session cookie as HTTP; client events go to one handler each (server/socket/handlers),
// media-node events arrive over Redis (server/media/events.ts).
import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import { Server } from 'socket.io'
import { socketRooms } from '#core/protocol/signaling.ts'
import type { AppContext } from './app-context.ts'
import { startMediaEventDelivery } from './media/events.ts'
import { createDataMessageHandler } from './media/meeting-chat.ts'
import { joinMemberConversationRooms } from './messenger/fanout.ts'
import { attachPresence } from './messenger/presence.ts'
import { endAttendance } from './services/attendance.ts'
import {
  MAX_QUEUED_EVENTS_PER_SOCKET,
  createTaskQueue,
  registerClientEvents,
  type GatewayContext,
  type HandlerContext,
  type TaskQueue,
} from './socket/handler.ts'
import { clientEventHandlers } from './socket/handlers/index.ts'
import { leaveMedia } from './socket/handlers/media-leave.ts'
import type { IoServer } from './socket/types.ts'

export type { SocketData } from './socket/types.ts'

/** On shutdown, sockets' leave work (media-node call, attendance row) gets this long to finish. */
const DRAIN_TIMEOUT_MS = 5_000

export async function attachSocketServer(httpServer: HttpServer, app: AppContext) {
  const pub = app.redis.duplicate()
  const sub = app.redis.duplicate()
  const io: IoServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: `${app.env.REDIS_PREFIX}socket.io` }),
    maxHttpBufferSize: 1e6,
    // Notice a silently dropped connection in ~15 s (defaults: ~45 s) so the room shows
    // "reconnecting" and the other side drops the peer sooner.
    pingInterval: 10_000,
    pingTimeout: 5_000,
  })
  const log = app.log.child({ component: 'socket' })
  const busyQueues = new Set<Promise<void>>()

  /** This instance's part of ending a meeting: tell its sockets, then forget their sessions. */
  const releaseMeetingLocally = (meetingId: string) => {
    const room = socketRooms.meeting(meetingId)
    io.local.to(room).emit('meeting:ended', {})
    for (const socketId of io.of('/').adapter.rooms.get(room) ?? []) {
      const socket = io.of('/').sockets.get(socketId)
      const session = socket?.data.media
      if (!socket || session?.meetingId !== meetingId) continue
      socket.data.media = undefined
      void socket.leave(room)
      void socket.leave(socketRooms.peer(session.peerId))
      void socket.leave(socketRooms.moderators(meetingId))
    }
  }
  io.on('meeting:ended', (meetingId) => {
    if (typeof meetingId === 'string') releaseMeetingLocally(meetingId)
  })

  /** Each connected socket's handler context and event queue, by socket id. */
  const connections = new Map<string, { context: HandlerContext; queue: TaskQueue }>()
  /**
   * This instance's part of removing someone: their sockets here leave the meeting's media, in each
   * socket's own queue so it cannot interleave with what the socket is doing.
   */
  const releaseParticipantLocally = (meetingId: string, userId: string) => {
    for (const socketId of io.of('/').adapter.rooms.get(socketRooms.user(userId)) ?? []) {
      const connection = connections.get(socketId)
      if (!connection) continue
      const { context, queue } = connection
      queue.push(
        async () => {
          if (context.socket.data.media?.meetingId !== meetingId) return
          try {
            await leaveMedia(context)
          } catch (error) {
            context.log.error({ err: error }, 'leaving media after a removal failed')
          }
        },
        { force: true },
      )
    }
  }
  io.on('participant:removed', (meetingId, userId) => {
    if (typeof meetingId === 'string' && typeof userId === 'string') {
      releaseParticipantLocally(meetingId, userId)
    }
  })

  const gateway: GatewayContext = {
    app,
    io,
    log,
    announceMeetingEnded(meetingId) {
      releaseMeetingLocally(meetingId)
      io.serverSideEmit('meeting:ended', meetingId)
    },
    releaseParticipant(meetingId, userId) {
      releaseParticipantLocally(meetingId, userId)
      io.serverSideEmit('participant:removed', meetingId, userId)
    },
  }
  app.realtime.attach(io)
  const presence = attachPresence({
    io,
    redis: app.redis,
    prefix: app.env.REDIS_PREFIX,
    db: app.db,
    log: log.child({ component: 'presence' }),
  })
  const mediaEvents = await startMediaEventDelivery({
    redis: app.redis,
    prefix: app.env.REDIS_PREFIX,
    io,
    log: log.child({ component: 'media-events' }),
    onDataMessage: createDataMessageHandler({ app, io, log: log.child({ component: 'chat' }) }),
    // Its web instance is gone with the socket that would have ended the attendance.
    onPeerGone: ({ roomId, userId, peerId }) => {
      endAttendance({ db: app.db, meetingId: roomId, userId, peerId }).catch((error: unknown) =>
        log.error({ err: error, peerId }, 'ending the attendance of a gone peer failed'),
      )
    },
  })

  io.use(async (socket, next) => {
    try {
      const headers = new Headers()
      for (const [key, value] of Object.entries(socket.request.headers)) {
        if (typeof value === 'string') headers.set(key, value)
      }
      const session = await app.auth.api.getSession({ headers })
      if (!session) return next(new Error('UNAUTHORIZED'))
      socket.data = {
        userId: session.user.id,
        isGuest: Boolean(session.user.isAnonymous),
        name: session.user.name,
      }
      next()
    } catch (error) {
      log.error({ err: error }, 'socket authentication failed')
      next(new Error('INTERNAL'))
    }
  })

  io.on('connection', (socket) => {
    const socketLog = log.child({ userId: socket.data.userId, socketId: socket.id })
    socketLog.debug('socket connected')
    // Each user's sockets share a room so any instance can reach all of a user's tabs.
    void socket.join(socketRooms.user(socket.data.userId))
    const context = { ...gateway, socket, log: socketLog }
    const queue = createTaskQueue(MAX_QUEUED_EVENTS_PER_SOCKET)
    // The rooms of the user's conversations, before the socket's first event is handled.
    queue.push(
      async () => {
        try {
          await joinMemberConversationRooms(app, socket)
        } catch (error) {
          socketLog.error({ err: error }, 'joining conversation rooms failed')
        }
      },
      { force: true },
    )
    connections.set(socket.id, { context, queue })
    registerClientEvents({ context, queue, handlers: clientEventHandlers })
    socket.on('disconnect', (reason) => {
      socketLog.debug({ reason }, 'socket disconnected')
      connections.delete(socket.id)
      // Forced: a full queue must not keep a departed peer in the room.
      queue.push(
        async () => {
          try {
            await leaveMedia(context)
          } catch (error) {
            socketLog.error({ err: error }, 'leaving media on disconnect failed')
          }
        },
        { force: true },
      )
      const idle = queue.idle()
      busyQueues.add(idle)
      void idle.finally(() => busyQueues.delete(idle))
    })
  })

  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()))
      // Disconnecting everyone queued their leave work; let it reach the nodes and the database.
      await Promise.race([
        Promise.allSettled([...busyQueues]),
        new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref()),
      ])
      await mediaEvents.close()
      presence.close()
      pub.disconnect()
      sub.disconnect()
    },
  }
}
