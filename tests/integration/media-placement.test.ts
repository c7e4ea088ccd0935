// Room placement against a real Redis: web instances agree on one media-node per meeting, keep it
// there while the node is registered, and move the room when the node drops out of the registry.
// Opening a session on the placed node cleans up after a join whose outcome is unknown.
import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  mediaNodeKey,
  mediaNodesSetKey,
  toMediaNodeHash,
  type MediaNodeRecord,
} from '#core/media-registry.ts'
import { createRedis, type Redis } from '#core/redis.ts'
import type { Database } from '#core/db/client.ts'
import type { Meeting, MeetingParticipant } from '#core/db/types.ts'
import { createLogger } from '#core/logger.ts'
import { ackError } from '#core/protocol/ack.ts'
import type { MediaRpcMethod } from '#core/protocol/media-rpc.ts'
import { placeRoom, roomPlacementKey } from '#server/media/placement.ts'
import type { MediaRpcClient } from '#server/media/rpc-client.ts'
import { openMediaSession } from '#server/media/sessions.ts'

let redis: Redis
const prefixes: string[] = []
beforeAll(() => {
  if (!process.env.REDIS_URL) throw new Error('REDIS_URL is not set (npm test provides it)')
  redis = createRedis(process.env.REDIS_URL)
})
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
  }
  redis.disconnect()
})

/** A registry of its own per test, under a fresh Redis prefix. */
function registry() {
  const prefix = `test-placement-${randomBytes(4).toString('hex')}:`
  prefixes.push(prefix)
  return {
    prefix,
    async register(id: string, overrides: Partial<MediaNodeRecord> = {}) {
      const record: MediaNodeRecord = {
        id,
        region: 'local',
        httpUrl: `http://127.0.0.1:1/${id}`,
        workers: 1,
        workersAlive: 1,
        rooms: 0,
        routers: 0,
        transports: 0,
        producers: 0,
        consumers: 0,
        cpuLoad: 0,
        startedAt: Date.now(),
        updatedAt: Date.now(),
        ...overrides,
      }
      await redis.hset(mediaNodeKey(prefix, id), toMediaNodeHash(record))
      await redis.sadd(mediaNodesSetKey(prefix), id)
    },
    async deregister(id: string) {
      await redis.del(mediaNodeKey(prefix, id))
      await redis.srem(mediaNodesSetKey(prefix), id)
    },
    place: (meetingId: string) => placeRoom({ redis, prefix, meetingId }),
    recorded: (meetingId: string) => redis.get(roomPlacementKey(prefix, meetingId)),
  }
}

describe('placeRoom', () => {
  it('refuses clearly when no media-node is registered', async () => {
    const { place } = registry()
    await expect(place(randomUUID())).rejects.toMatchObject({
      name: 'AppError',
      code: 'INTERNAL',
      message: 'No media server is available right now; try again in a minute',
    })
  })

  it('picks the least loaded node, and concurrent callers all get the same one', async () => {
    const { register, place, recorded, prefix } = registry()
    await register('node-busy', { cpuLoad: 0.7 })
    await register('node-idle', { cpuLoad: 0.1 })
    const meetingId = randomUUID()
    // Ten "web instances" placing the same meeting at once.
    const choices = await Promise.all(Array.from({ length: 10 }, () => place(meetingId)))
    expect(new Set(choices.map((node) => node.id))).toEqual(new Set(['node-idle']))
    expect(await recorded(meetingId)).toBe('node-idle')
    expect(await redis.pttl(roomPlacementKey(prefix, meetingId))).toBeGreaterThan(0)
  })

  it('keeps a room on its node when another becomes less loaded, and moves it when the node goes', async () => {
    const { register, deregister, place, recorded } = registry()
    await register('node-busy', { cpuLoad: 0.7 })
    await register('node-idle', { cpuLoad: 0.1 })
    const meetingId = randomUUID()
    expect((await place(meetingId)).id).toBe('node-idle')
    await register('node-busy', { cpuLoad: 0.0 })
    await register('node-idle', { cpuLoad: 0.9 })
    expect((await place(meetingId)).id).toBe('node-idle')

    await deregister('node-idle')
    const moved = await Promise.all(Array.from({ length: 5 }, () => place(meetingId)))
    expect(new Set(moved.map((node) => node.id))).toEqual(new Set(['node-busy']))
    expect(await recorded(meetingId)).toBe('node-busy')
  })

  it('ignores a node whose record went stale or whose workers all died', async () => {
    const { register, place } = registry()
    await register('node-busy', { workersAlive: 0 })
    await register('node-stale', { updatedAt: Date.now() - 60_000 })
    await register('node-fresh', { cpuLoad: 0.99 })
    expect((await place(randomUUID())).id).toBe('node-fresh')
  })
})

describe('openMediaSession', () => {
  /** A node whose joinRoom fails with `code`; records every call. */
  function failingNode(code: 'INTERNAL' | 'CONFLICT') {
    const calls: { method: MediaRpcMethod; peerId: unknown }[] = []
    const rpc: MediaRpcClient = {
      async call(_node, method, request) {
        calls.push({ method, peerId: (request as { peerId?: unknown }).peerId })
        return method === 'joinRoom'
          ? ackError(code, 'joinRoom failed')
          : ({ ok: true, data: {} } as never)
      },
    }
    return { rpc, calls }
  }

  async function open(rpc: MediaRpcClient, peerId: string) {
    const { register, prefix } = registry()
    await register('node-a')
    return openMediaSession({
      // Never reached: the join fails before the attendance row.
      db: {} as Database,
      redis,
      redisPrefix: prefix,
      rpc,
      log: createLogger({ name: 'test', level: 'silent', pretty: false }),
      meeting: { id: randomUUID() } as Meeting,
      participant: {
        userId: randomUUID(),
        displayName: 'Ann',
        role: 'participant',
      } as MeetingParticipant,
      peerId,
    })
  }

  it('takes the peer out again when the join call failed without an answer (it may have landed)', async () => {
    const { rpc, calls } = failingNode('INTERNAL')
    const peerId = randomUUID()
    await expect(open(rpc, peerId)).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(calls).toEqual([
      { method: 'joinRoom', peerId },
      { method: 'leaveRoom', peerId },
    ])
  })

  it('leaves nothing to undo when the node refused the join', async () => {
    const { rpc, calls } = failingNode('CONFLICT')
    await expect(open(rpc, randomUUID())).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(calls.map(({ method }) => method)).toEqual(['joinRoom'])
  })
})
