// Keeps this node's record in Redis fresh so web instances can place rooms on it; the record
// expires by itself if the process dies without deregistering.
import type { Logger } from '#core/logger.ts'
import {
  MEDIA_NODE_HEARTBEAT_MS,
  MEDIA_NODE_TTL_MS,
  mediaNodeKey,
  mediaNodesSetKey,
  toMediaNodeHash,
  type MediaNodeRecord,
} from '#core/media-registry.ts'
import type { Redis } from '#core/redis.ts'
import type { WorkerPool, WorkerResourceUsage } from './worker-pool.ts'

export type MediaNodeIdentity = { id: string; region: string; httpUrl: string }

export type MediaNodeRegistration = {
  /** Stops the heartbeat and removes the record and the id from the set. */
  deregister(): Promise<void>
}

type CpuSample = { pid: number; cpuMs: number; at: number }

/**
 * Mean CPU use of the workers since the previous call, as a fraction of one core each.
 * Uses getResourceUsage() deltas rather than os.loadavg(): load average mixes in every other
 * process on the host and lags by minutes, while placement wants what the workers consume.
 */
function createCpuMeter(pool: WorkerPool): () => Promise<number> {
  let previous = new Map<number, CpuSample>()
  return async () => {
    const at = Date.now()
    const usage: WorkerResourceUsage[] = await pool.getResourceUsage()
    const loads: number[] = []
    const next = new Map<number, CpuSample>()
    for (const { slot, pid, cpuMs } of usage) {
      next.set(slot, { pid, cpuMs, at })
      const before = previous.get(slot)
      // A replaced worker starts its counters at zero, so only compare samples of the same pid.
      if (before && before.pid === pid && at > before.at) {
        loads.push(Math.max(0, (cpuMs - before.cpuMs) / (at - before.at)))
      }
    }
    previous = next
    if (loads.length === 0) return 0
    return loads.reduce((sum, load) => sum + load, 0) / loads.length
  }
}

/**
 * Writes the record once (rejecting if Redis does not take it) and then refreshes it every
 * heartbeat. Later heartbeat failures are logged and retried; the TTL removes a node that stays
 * unreachable.
 */
export async function registerMediaNode(options: {
  redis: Redis
  prefix: string
  identity: MediaNodeIdentity
  pool: WorkerPool
  log: Logger
}): Promise<MediaNodeRegistration> {
  const { redis, prefix, identity, pool } = options
  const log = options.log.child({ nodeId: identity.id })
  const key = mediaNodeKey(prefix, identity.id)
  const setKey = mediaNodesSetKey(prefix)
  const startedAt = Date.now()
  const measureCpu = createCpuMeter(pool)

  const beat = async () => {
    const totals = pool.totals()
    const record: MediaNodeRecord = {
      ...identity,
      workers: pool.size,
      workersAlive: totals.workersAlive,
      rooms: totals.rooms,
      routers: totals.routers,
      transports: totals.transports,
      producers: totals.producers,
      consumers: totals.consumers,
      cpuLoad: Number((await measureCpu()).toFixed(4)),
      startedAt,
      updatedAt: Date.now(),
    }
    // DEL first so fields dropped from the schema do not linger in old hashes.
    await redis
      .multi()
      .del(key)
      .hset(key, toMediaNodeHash(record))
      .pexpire(key, MEDIA_NODE_TTL_MS)
      .sadd(setKey, identity.id)
      .exec()
  }

  await beat()
  log.info(
    { key, intervalMs: MEDIA_NODE_HEARTBEAT_MS, ttlMs: MEDIA_NODE_TTL_MS },
    'registered in Redis',
  )

  let isStopped = false
  let inFlight: Promise<void> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  // A chain of timeouts, not setInterval: while Redis is down beats must not pile up.
  const schedule = () => {
    timer = setTimeout(() => {
      inFlight = beat()
        .catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed'))
        .finally(() => {
          if (!isStopped) schedule()
        })
    }, MEDIA_NODE_HEARTBEAT_MS)
  }
  schedule()

  return {
    async deregister() {
      isStopped = true
      clearTimeout(timer)
      // A beat finishing after the DEL would bring the record back.
      await inFlight
      await redis.multi().del(key).srem(setKey, identity.id).exec()
      log.info({ key }, 'deregistered from Redis')
    },
  }
}
