// socket.io gateway on the web process's HTTP server. Connections authenticate with the same
// better-auth session cookie as HTTP; event handlers arrive with the meeting and chat issues.
import type { Server as HttpServer } from 'node:http'
import { createAdapter } from '@socket.io/redis-adapter'
import { Server } from 'socket.io'
import type { AppContext } from './app-context.ts'

export type SocketData = { userId: string; isGuest: boolean; name: string }

export function attachSocketServer(httpServer: HttpServer, app: AppContext) {
  const pub = app.redis.duplicate()
  const sub = app.redis.duplicate()
  const io = new Server<
    Record<string, never>,
    Record<string, never>,
    Record<string, never>,
    SocketData
  >(httpServer, {
    path: '/socket.io',
    serveClient: false,
    adapter: createAdapter(pub, sub, { key: `${app.env.REDIS_PREFIX}socket.io` }),
    maxHttpBufferSize: 1e6,
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
      app.log.error({ err: error }, 'socket authentication failed')
      next(new Error('INTERNAL'))
    }
  })

  io.on('connection', (socket) => {
    app.log.debug({ userId: socket.data.userId, socketId: socket.id }, 'socket connected')
    // Each user's sockets share a room so any instance can reach all of a user's tabs.
    void socket.join(`user:${socket.data.userId}`)
  })

  return {
    io,
    async close() {
      await new Promise<void>((resolve) => io.close(() => resolve()))
      pub.disconnect()
      sub.disconnect()
    },
  }
}
