// Presence (online / away / offline) in Redis: one hash per user, a field per connected socket with
// that tab's status. Every instance refreshes its sockets' fields and the key's TTL on a heartbeat,
// so a user whose instance died without saying goodbye goes offline within PRESENCE_TTL_SECONDS.
// Changes go to everyone in the user's organization (the org room), across instances.
import type { Database } from '#core/db/client.ts'
import type { Logger } from '#core/logger.ts'
import type { PresenceStatus } from '#core/protocol/messenger.ts'
import type { Redis } from '#core/redis.ts'
import { getUserOrganizationId } from '#server/services/messenger.ts'
import type { IoServer, IoSocket } from '#server/socket/types.ts'

export const PRESENCE_TTL_SECONDS = 90
const PRESENCE_HEARTBEAT_MS = 30_000

/** Sockets of everyone in an organization (presence changes go here). */
export const organizationRoom = (organizationId: string) => `messenger-org:${organizationId}`

const aggregate = (statuses: string[]): PresenceStatus =>
  statuses.includes('online') ? 'online' : statuses.includes('away') ? 'away' : 'offline'

export type Presence = ReturnType<typeof createPresence>

export function createPresence(options: {
  io: IoServer
  redis: Redis
  prefix: string
  db: Database
  log: Logger
}) {
  const { io, redis, prefix, log } = options
  const key = (userId: string) => `${prefix}presence:${userId}`
  /** socket id → its user, organization room and tab status, for this instance's sockets. */
  const local = new Map<
    string,
    { userId: string; room: string | null; status: 'online' | 'away' }
  >()

  async function statusOf(userId: string): Promise<PresenceStatus> {
    return aggregate(Object.values(await redis.hgetall(key(userId))))
  }

  async function change(socketId: string, update: () => Promise<unknown>) {
    const entry = local.get(socketId)
    if (!entry) return
    const before = await statusOf(entry.userId)
    await update()
    const after = await statusOf(entry.userId)
    if (before !== after && entry.room) {
      io.to(entry.room).emit('presence', { userId: entry.userId, status: after })
    }
  }

  const heartbeat = setInterval(() => {
    const pipeline = redis.pipeline()
    for (const [socketId, entry] of local) {
      pipeline.hset(key(entry.userId), socketId, entry.status)
      pipeline.expire(key(entry.userId), PRESENCE_TTL_SECONDS)
    }
    pipeline.exec().catch((error: unknown) => log.warn({ err: error }, 'presence heartbeat failed'))
  }, PRESENCE_HEARTBEAT_MS)
  heartbeat.unref()

  return {
    async connected(socket: IoSocket) {
      const { userId } = socket.data
      const organizationId = await getUserOrganizationId({ db: options.db, userId })
      const room = organizationId ? organizationRoom(organizationId) : null
      if (room) await socket.join(room)
      if (!socket.connected) return
      local.set(socket.id, { userId, room, status: 'online' })
      await change(socket.id, () =>
        redis
          .multi()
          .hset(key(userId), socket.id, 'online')
          .expire(key(userId), PRESENCE_TTL_SECONDS)
          .exec(),
      )
    },
    async disconnected(socket: IoSocket) {
      const entry = local.get(socket.id)
      if (!entry) return
      await change(socket.id, () => redis.hdel(key(entry.userId), socket.id))
      local.delete(socket.id)
    },
    /** A tab went to the background (away) or came back (online). */
    async set(socket: IoSocket, status: 'online' | 'away') {
      const entry = local.get(socket.id)
      if (!entry || entry.status === status) return
      entry.status = status
      await change(socket.id, () =>
        redis
          .multi()
          .hset(key(entry.userId), socket.id, status)
          .expire(key(entry.userId), PRESENCE_TTL_SECONDS)
          .exec(),
      )
    },
    async statuses(userIds: string[]) {
      const unique = [...new Set(userIds)]
      const pipeline = redis.pipeline()
      for (const userId of unique) pipeline.hgetall(key(userId))
      const results = (await pipeline.exec()) ?? []
      return unique.map((userId, index) => ({
        userId,
        status: aggregate(Object.values((results[index]?.[1] as Record<string, string>) ?? {})),
      }))
    },
    close() {
      clearInterval(heartbeat)
    },
  }
}

const registry = new WeakMap<IoServer, Presence>()

/** Wires presence to the gateway's connections; handlers find it with presenceOf(io). */
export function attachPresence(options: {
  io: IoServer
  redis: Redis
  prefix: string
  db: Database
  log: Logger
}): Presence {
  const presence = createPresence(options)
  registry.set(options.io, presence)
  options.io.on('connection', (socket) => {
    presence
      .connected(socket)
      .catch((error: unknown) => options.log.warn({ err: error }, 'presence on connect failed'))
    socket.on('disconnect', () => {
      presence
        .disconnected(socket)
        .catch((error: unknown) =>
          options.log.warn({ err: error }, 'presence on disconnect failed'),
        )
    })
  })
  return presence
}

export function presenceOf(io: IoServer): Presence {
  const presence = registry.get(io)
  if (!presence) throw new Error('presence is not attached to this socket server')
  return presence
}
