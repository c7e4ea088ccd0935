// The media-node's HTTP server: liveness for load balancers / orchestrators, Prometheus metrics, and
// the internal RPC for web instances under /rpc/ (media-node/rpc.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '#core/logger.ts'
import { MEDIA_RPC_NODE_IDLE_MS } from '#core/protocol/media-rpc.ts'
import type { RoomStats } from './rooms.ts'
import type { WorkerPool } from './worker-pool.ts'

/** Open connections get this long to finish after close() before they are cut. */
const CLOSE_GRACE_MS = 3_000

export type MediaHttpServer = {
  port: number
  close(): Promise<void>
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void
export type RpcHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
) => Promise<void>

const RPC_PATH_PREFIX = '/rpc/'

export async function startMediaHttpServer(options: {
  host: string
  port: number
  pool: WorkerPool
  /** Resolved after listen because the default id contains the bound port. */
  getNodeId: () => string
  roomStats: () => RoomStats
  handleRpc: RpcHandler
  log: Logger
}): Promise<MediaHttpServer> {
  const { pool, log } = options
  const routes: Record<string, Route> = {
    '/health': (_req, res) => {
      const workers = pool.workers()
      const alive = workers.filter((worker) => worker.isAlive).length
      const status = alive === workers.length ? 'ok' : alive > 0 ? 'degraded' : 'unavailable'
      sendJson(res, alive > 0 ? 200 : 503, {
        status,
        id: options.getNodeId(),
        workers: workers.map((worker) => ({
          slot: worker.slot,
          pid: worker.pid,
          alive: worker.isAlive,
        })),
      })
    },
    '/metrics': async (_req, res) => {
      const body = renderMetrics(pool, await pool.getResourceUsage(), options.roomStats())
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      res.end(body)
    },
  }

  const server = createServer(async (req, res) => {
    const path = pathOf(req.url)
    if (path === undefined) return sendJson(res, 400, { error: 'bad request target' })
    // The RPC checks its own method (POST) and answers with acks.
    const isRpc = path.startsWith(RPC_PATH_PREFIX)
    const route: Route | undefined = isRpc
      ? (req, res) => options.handleRpc(req, res, path.slice(RPC_PATH_PREFIX.length))
      : routes[path]
    if (!route) return sendJson(res, 404, { error: 'not found' })
    if (!isRpc && req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD')
      return sendJson(res, 405, { error: 'method not allowed' })
    }
    try {
      await route(req, res)
    } catch (error) {
      log.error({ err: error, path }, 'http handler failed')
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' })
      else res.destroy()
    }
  })

  server.keepAliveTimeout = MEDIA_RPC_NODE_IDLE_MS
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  log.info({ host: options.host, port }, 'http server listening')

  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const forceTimer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS)
        server.close(() => {
          clearTimeout(forceTimer)
          resolve()
        })
        server.closeIdleConnections()
      }),
  }
}

/** undefined for a target URL cannot parse (`GET http://[`), which would otherwise throw here. */
function pathOf(target = '/'): string | undefined {
  try {
    return new URL(target, 'http://localhost').pathname
  } catch {
    return undefined
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(JSON.stringify(body))
}

type Metric = {
  name: string
  type: 'gauge' | 'counter'
  help: string
  samples: Array<{ labels?: Record<string, string | number>; value: number }>
}

export function renderMetrics(
  pool: WorkerPool,
  usage: Awaited<ReturnType<WorkerPool['getResourceUsage']>>,
  roomStats: RoomStats,
): string {
  const totals = pool.totals()
  const gauge = (name: string, help: string, value: number): Metric => ({
    name,
    type: 'gauge',
    help,
    samples: [{ value }],
  })
  const metrics: Metric[] = [
    gauge('vstrecha_media_workers', 'Live mediasoup workers.', totals.workersAlive),
    {
      name: 'vstrecha_media_worker_restarts_total',
      type: 'counter',
      help: 'mediasoup workers replaced after dying.',
      samples: [{ value: pool.restartsTotal }],
    },
    gauge('vstrecha_media_rooms', 'Rooms with at least one router on this node.', totals.rooms),
    // Total only: a per-room label would add a time series for every meeting ever held.
    gauge('vstrecha_media_peers', 'Peers joined to rooms on this node.', roomStats.peers),
    gauge('vstrecha_media_routers', 'mediasoup routers.', totals.routers),
    {
      name: 'vstrecha_media_worker_routers',
      type: 'gauge',
      help: 'mediasoup routers (one per room) on each worker.',
      samples: pool
        .workers()
        .filter((worker) => worker.isAlive)
        .map((worker) => ({
          labels: { slot: worker.slot, pid: worker.pid ?? 0 },
          value: worker.routers,
        })),
    },
    gauge('vstrecha_media_transports', 'mediasoup transports.', totals.transports),
    gauge('vstrecha_media_producers', 'mediasoup producers.', totals.producers),
    gauge('vstrecha_media_consumers', 'mediasoup consumers.', totals.consumers),
    {
      name: 'vstrecha_media_worker_cpu_seconds_total',
      type: 'counter',
      help: 'CPU time (user + system) of each mediasoup worker process.',
      samples: usage.map((u) => ({ labels: { slot: u.slot, pid: u.pid }, value: u.cpuMs / 1000 })),
    },
    {
      name: 'vstrecha_media_worker_max_rss_bytes',
      type: 'gauge',
      help: 'Peak resident memory of each mediasoup worker process.',
      samples: usage.map((u) => ({ labels: { slot: u.slot, pid: u.pid }, value: u.maxRssBytes })),
    },
  ]
  return metrics.map(formatMetric).join('')
}

function formatMetric(metric: Metric): string {
  const lines = [`# HELP ${metric.name} ${metric.help}`, `# TYPE ${metric.name} ${metric.type}`]
  for (const sample of metric.samples) {
    const labels = sample.labels
      ? `{${Object.entries(sample.labels)
          .map(([key, value]) => `${key}="${escapeLabel(String(value))}"`)
          .join(',')}}`
      : ''
    lines.push(`${metric.name}${labels} ${sample.value}`)
  }
  return lines.join('\n') + '\n'
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}
