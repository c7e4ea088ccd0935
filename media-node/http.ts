// Operator endpoints of a media-node: liveness for load balancers / orchestrators and Prometheus
// metrics. The internal RPC for web instances will be mounted here later.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from '#core/logger.ts'
import type { WorkerPool } from './worker-pool.ts'

/** Open connections get this long to finish after close() before they are cut. */
const CLOSE_GRACE_MS = 3_000

export type MediaHttpServer = {
  port: number
  close(): Promise<void>
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void

export async function startMediaHttpServer(options: {
  host: string
  port: number
  pool: WorkerPool
  /** Resolved after listen because the default id contains the bound port. */
  getNodeId: () => string
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
      const body = renderMetrics(pool, await pool.getResourceUsage())
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      res.end(body)
    },
  }

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname
    const route = routes[path]
    if (!route) return sendJson(res, 404, { error: 'not found' })
    if (req.method !== 'GET' && req.method !== 'HEAD') {
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
    gauge('vstrecha_media_routers', 'mediasoup routers.', totals.routers),
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
