// Runs the real media-node process (real mediasoup workers, real Redis) and checks what an
// operator relies on: health, registration, metrics, surviving a worker crash, clean shutdown.
import { accessSync, constants } from 'node:fs'
import os from 'node:os'
import { afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { z } from 'zod'
import {
  MEDIA_NODE_TTL_MS,
  MediaNodeRecordSchema,
  listMediaNodes,
  mediaNodeKey,
  mediaNodesSetKey,
} from '#core/media-registry.ts'
import { MEDIA_RPC_NODE_IDLE_MS } from '#core/protocol/media-rpc.ts'
import { createRedis, type Redis } from '#core/redis.ts'
import { startMediaNodeProcess, type MediaNodeProcess } from '../fixtures/media-node.ts'
import { isPidAlive, waitUntil } from '../fixtures/process.ts'

const WORKER_BIN = process.env.MEDIASOUP_WORKER_BIN
const REDIS_URL = process.env.REDIS_URL
/** Generous for 2 shared cores; a replacement normally takes tens of milliseconds. */
const WORKER_REPLACEMENT_BOUND_MS = 3_000

const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded', 'unavailable']),
  id: z.string(),
  workers: z.array(z.object({ pid: z.number().int(), alive: z.boolean() })),
})
type Health = z.infer<typeof HealthSchema>

type MediaNode = MediaNodeProcess & { health(): Promise<{ status: number; body: Health }> }

const started: MediaNode[] = []
let redis: Redis

beforeAll(() => {
  if (!WORKER_BIN) {
    throw new Error(
      'MEDIASOUP_WORKER_BIN is not set: build the worker with scripts/build-mediasoup-worker.sh ' +
        'and export the path it prints (the test runner script does this)',
    )
  }
  try {
    accessSync(WORKER_BIN, constants.X_OK)
  } catch {
    throw new Error(`MEDIASOUP_WORKER_BIN=${WORKER_BIN} is not an executable file`)
  }
  if (!REDIS_URL) throw new Error('REDIS_URL is not set (the test runner script provides it)')
  redis = createRedis(REDIS_URL)
  return async () => {
    redis.disconnect()
  }
})

afterEach(async () => {
  for (const node of started.splice(0)) {
    await node.proc.stop({ signal: 'SIGKILL' })
    const keys = await redis.keys(`${node.prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
  }
})

async function startMediaNode(): Promise<MediaNode> {
  const proc = await startMediaNodeProcess({
    redisUrl: REDIS_URL!,
    workerBin: WORKER_BIN!,
    region: 'test-region',
  })
  const node: MediaNode = {
    ...proc,
    async health() {
      const res = await fetch(`${proc.baseUrl}/health`)
      return { status: res.status, body: HealthSchema.parse(await res.json()) }
    },
  }
  started.push(node)
  onTestFailed(() => {
    console.error(`--- media-node output ---\n${proc.proc.output()}`)
  })
  return node
}

const alivePids = (health: Health) => health.workers.filter((w) => w.alive).map((w) => w.pid)

describe('a running media-node', () => {
  it('reports healthy with two live mediasoup workers', async () => {
    const node = await startMediaNode()
    const { status, body } = await node.health()

    expect(status).toBe(200)
    expect(body.status).toBe('ok')
    expect(body.id).toBe(`${os.hostname()}-${node.port}`)
    expect(body.workers).toHaveLength(2)
    for (const worker of body.workers) {
      expect(worker.alive).toBe(true)
      expect(isPidAlive(worker.pid)).toBe(true)
    }
    expect((await fetch(`${node.baseUrl}/nope`)).status).toBe(404)
    // Web drops idle RPC connections well before the node does (MEDIA_RPC_WEB_IDLE_MS).
    const keepAlive = (await fetch(`${node.baseUrl}/health`)).headers.get('keep-alive')
    expect(keepAlive).toBe(`timeout=${MEDIA_RPC_NODE_IDLE_MS / 1000}`)
  })

  it('registers itself in Redis with a TTL, readable by web', async () => {
    const node = await startMediaNode()
    const id = `${os.hostname()}-${node.port}`
    const key = mediaNodeKey(node.prefix, id)

    const hash = await redis.hgetall(key)
    const record = MediaNodeRecordSchema.parse(hash)
    expect(record).toMatchObject({
      id,
      region: 'test-region',
      httpUrl: node.baseUrl,
      workers: 2,
      workersAlive: 2,
      rooms: 0,
      consumers: 0,
    })
    expect(record.cpuLoad).toBeGreaterThanOrEqual(0)
    const ttl = await redis.pttl(key)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(MEDIA_NODE_TTL_MS)
    expect(await redis.sismember(mediaNodesSetKey(node.prefix), id)).toBe(1)

    const nodes = await listMediaNodes(redis, node.prefix)
    expect(nodes.map((n) => n.id)).toEqual([id])
  })

  it('exposes Prometheus metrics for workers and media objects', async () => {
    const node = await startMediaNode()
    const { body } = await node.health()
    const metrics = await node.metrics()

    expect(metrics.get('vstrecha_media_workers')).toBe(2)
    expect(metrics.get('vstrecha_media_worker_restarts_total')).toBe(0)
    for (const name of ['rooms', 'transports', 'producers', 'consumers']) {
      expect(metrics.get(`vstrecha_media_${name}`), name).toBe(0)
    }
    body.workers.forEach(({ pid }, slot) => {
      const labels = `{slot="${slot}",pid="${pid}"}`
      expect(
        metrics.get(`vstrecha_media_worker_cpu_seconds_total${labels}`),
      ).toBeGreaterThanOrEqual(0)
      expect(metrics.get(`vstrecha_media_worker_max_rss_bytes${labels}`)).toBeGreaterThan(1_000_000)
    })
  })
})

describe('media-node resilience and shutdown', () => {
  it('replaces a killed mediasoup worker and keeps serving', async () => {
    const node = await startMediaNode()
    const before = (await node.health()).body
    const [victim, survivor] = alivePids(before) as [number, number]

    const statuses = new Set<number>()
    const startedAt = performance.now()
    process.kill(victim, 'SIGKILL')
    const after = await waitUntil(
      async () => {
        const { status, body } = await node.health()
        statuses.add(status)
        const pids = alivePids(body)
        return pids.length === 2 && !pids.includes(victim) ? body : undefined
      },
      { description: 'a replacement worker in /health', timeoutMs: WORKER_REPLACEMENT_BOUND_MS },
    )
    const replacedInMs = performance.now() - startedAt
    console.info(`mediasoup worker replaced in ${replacedInMs.toFixed(0)} ms (kill -9 → /health)`)

    expect(replacedInMs).toBeLessThan(WORKER_REPLACEMENT_BOUND_MS)
    expect([...statuses]).toEqual([200])
    expect(after.status).toBe('ok')
    expect(alivePids(after)).toContain(survivor)
    expect(node.proc.isRunning()).toBe(true)
    const metrics = await node.metrics()
    expect(metrics.get('vstrecha_media_worker_restarts_total')).toBe(1)
    expect(metrics.get('vstrecha_media_workers')).toBe(2)
  })

  it('on SIGTERM deregisters, stops its workers and exits 0', async () => {
    const node = await startMediaNode()
    const id = (await node.health()).body.id
    const workerPids = alivePids((await node.health()).body)
    expect(await redis.exists(mediaNodeKey(node.prefix, id))).toBe(1)

    const exit = await node.proc.stop({ signal: 'SIGTERM' })

    expect(exit).toEqual({ code: 0, signal: null })
    expect(await redis.exists(mediaNodeKey(node.prefix, id))).toBe(0)
    expect(await redis.sismember(mediaNodesSetKey(node.prefix), id)).toBe(0)
    await waitUntil(() => workerPids.every((pid) => !isPidAlive(pid)), {
      description: 'the mediasoup workers to exit',
      timeoutMs: 2_000,
    })
  })
})
