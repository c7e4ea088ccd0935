// media-node entry: mediasoup workers, rooms, the HTTP server (operator endpoints and the internal
// RPC for web), media events and the registration in Redis.
import { accessSync, constants } from 'node:fs'
import os from 'node:os'
import { MediaNodeEnvSchema, loadEnvOrExit } from '#core/env.ts'
import { createLogger } from '#core/logger.ts'
import { createRedis } from '#core/redis.ts'
import { createMediaEventPublisher } from './events.ts'
import { startMediaHttpServer, type MediaHttpServer } from './http.ts'
import { registerMediaNode, type MediaNodeRegistration } from './registry.ts'
import { RoomRegistry } from './rooms.ts'
import { createRpcHandler } from './rpc.ts'
import { createWorkerPool, type WorkerPool } from './worker-pool.ts'

/** Past this a stuck step (e.g. Redis unreachable) must not keep the process from exiting. */
const SHUTDOWN_TIMEOUT_MS = 10_000
/** Without a registration web cannot find the node, so boot fails if Redis does not answer. */
const FIRST_REGISTRATION_TIMEOUT_MS = 10_000

const env = loadEnvOrExit(MediaNodeEnvSchema, 'media-node')
const log = createLogger({ name: 'media-node', level: env.LOG_LEVEL })

try {
  accessSync(env.MEDIASOUP_WORKER_BIN, constants.X_OK)
} catch {
  log.fatal(
    { path: env.MEDIASOUP_WORKER_BIN },
    'MEDIASOUP_WORKER_BIN is not an executable file; build it with scripts/build-mediasoup-worker.sh',
  )
  process.exit(1)
}
if (['0.0.0.0', '::'].includes(env.MEDIA_LISTEN_IP) && !env.MEDIA_ANNOUNCED_IP) {
  // mediasoup would hand clients the wildcard itself as their ICE candidate.
  log.fatal(
    { listenIp: env.MEDIA_LISTEN_IP },
    'MEDIA_LISTEN_IP is a wildcard address: set MEDIA_ANNOUNCED_IP to the address clients reach',
  )
  process.exit(1)
}

let pool: WorkerPool | undefined
let http: MediaHttpServer | undefined
let registration: MediaNodeRegistration | undefined
let rooms: RoomRegistry | undefined
const redis = createRedis(env.REDIS_URL)
redis.on('error', (error: Error) => log.warn({ err: error.message }, 'redis error'))

async function boot(): Promise<void> {
  pool = await createWorkerPool({
    workerBin: env.MEDIASOUP_WORKER_BIN,
    count: env.MEDIA_WORKERS ?? os.availableParallelism(),
    rtcMinPort: env.MEDIA_RTC_MIN_PORT,
    rtcMaxPort: env.MEDIA_RTC_MAX_PORT,
    log: log.child({ component: 'worker-pool' }),
  })

  const roomRegistry = new RoomRegistry({
    pool,
    listenIps: [{ ip: env.MEDIA_LISTEN_IP, announcedIp: env.MEDIA_ANNOUNCED_IP }],
    publish: createMediaEventPublisher({
      redis,
      redisPrefix: env.REDIS_PREFIX,
      log: log.child({ component: 'events' }),
    }),
    log: log.child({ component: 'rooms' }),
    gonePeerGraceMs: env.MEDIA_GONE_PEER_GRACE_MS,
  })
  rooms = roomRegistry

  let nodeId = env.MEDIA_NODE_ID ?? ''
  http = await startMediaHttpServer({
    host: env.MEDIA_HTTP_HOST,
    port: env.MEDIA_HTTP_PORT,
    pool,
    getNodeId: () => nodeId,
    roomStats: () => roomRegistry.stats(),
    handleRpc: createRpcHandler({
      secret: env.MEDIA_RPC_SECRET,
      rooms: roomRegistry,
      log: log.child({ component: 'rpc' }),
    }),
    log: log.child({ component: 'http' }),
  })
  // Default id uses the bound port, so MEDIA_HTTP_PORT=0 still yields a unique, reachable id.
  nodeId ||= `${os.hostname()}-${http.port}`
  const isWildcard = env.MEDIA_HTTP_HOST === '0.0.0.0' || env.MEDIA_HTTP_HOST === '::'
  const httpHost = isWildcard ? os.hostname() : env.MEDIA_HTTP_HOST

  registration = await withTimeout(
    registerMediaNode({
      redis,
      prefix: env.REDIS_PREFIX,
      identity: {
        id: nodeId,
        region: env.MEDIA_REGION,
        httpUrl: `http://${httpHost.includes(':') ? `[${httpHost}]` : httpHost}:${http.port}`,
      },
      pool,
      log,
    }),
    FIRST_REGISTRATION_TIMEOUT_MS,
    `Redis at ${env.REDIS_URL} did not accept the registration`,
  )
  log.info({ nodeId, workers: pool.size, region: env.MEDIA_REGION }, 'media-node ready')
}

let isShuttingDown = false

/** Tears down whatever has started; exits 0 only after a clean stop on request. */
async function shutdown(reason: string, exitCode = 0): Promise<void> {
  if (isShuttingDown) return
  isShuttingDown = true
  log.info({ reason }, 'shutting down')
  setTimeout(() => {
    log.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out')
    process.exit(1)
  }, SHUTDOWN_TIMEOUT_MS).unref()
  pool?.stopReplacing()

  let isClean = true
  // Deregister first so web stops placing rooms here, then stop serving, then stop media.
  const steps: Array<[string, (() => Promise<unknown>) | undefined]> = [
    ['deregister', registration?.deregister],
    ['close http', http?.close],
    ['close rooms', rooms && (async () => rooms!.closeAll())],
    ['close workers', pool && (() => pool!.close())],
    ['close redis', () => redis.quit()],
  ]
  for (const [step, run] of steps) {
    if (!run) continue
    try {
      await run()
    } catch (error) {
      isClean = false
      log.error({ err: error, step }, 'shutdown step failed')
    }
  }
  log.info({ isClean }, 'stopped')
  process.exit(isClean ? exitCode : 1)
}

process.once('SIGINT', () => void shutdown('SIGINT'))
process.once('SIGTERM', () => void shutdown('SIGTERM'))

try {
  await boot()
} catch (error) {
  log.fatal({ err: error }, 'media-node failed to start')
  await shutdown('boot failed', 1)
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
