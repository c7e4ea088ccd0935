// Everything a request handler needs, built once per web process and handed to Remix loaders and
// actions as `context.app` (app/ never imports server modules at runtime, only these types).
import type { Database } from '#core/db/client.ts'
import { createDatabase } from '#core/db/client.ts'
import type { WebEnv } from '#core/env.ts'
import type { Logger } from '#core/logger.ts'
import { createRedis, type Redis } from '#core/redis.ts'
import { createAuth, type Auth } from './auth.ts'
import { createMediaRpcClient, type MediaRpcClient } from './media/rpc-client.ts'
import { createQueues, type Queues } from './queues.ts'
import { createRateLimits, type RateLimits } from './rate-limit.ts'
import { createRealtime, type Realtime } from './realtime.ts'

export type AppContext = {
  env: WebEnv
  log: Logger
  db: Database
  redis: Redis
  auth: Auth
  queues: Queues
  rateLimits: RateLimits
  /** Signed calls to media-nodes (docs/decisions/0006-media-rpc.md). */
  mediaRpc: MediaRpcClient
  /** Live updates to sockets from HTTP code (docs/decisions/0009-meeting-control-realtime.md). */
  realtime: Realtime
  close: () => Promise<void>
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    app: AppContext
    /** This request's logger (carries the request id); add `userId`/`meetingId` with `.child()`. */
    log: Logger
    /** CSP nonce for this response's inline scripts. */
    nonce: string
    clientIp: string
  }
}

export function createAppContext(env: WebEnv, log: Logger): AppContext {
  const db = createDatabase({ url: env.DATABASE_URL, maxConnections: 20 })
  const redis = createRedis(env.REDIS_URL)
  const queues = createQueues({ connection: redis, redisPrefix: env.REDIS_PREFIX })
  const auth = createAuth({
    db,
    secret: env.AUTH_SECRET,
    baseURL: env.PUBLIC_URL,
    trustedOrigins: [new URL(env.PUBLIC_URL).origin],
    queues,
  })
  const rateLimits = createRateLimits({
    redis,
    prefix: env.REDIS_PREFIX,
    factor: env.RATE_LIMIT_FACTOR,
  })
  const mediaRpc = createMediaRpcClient({
    secret: env.MEDIA_RPC_SECRET,
    log: log.child({ component: 'media-rpc' }),
  })
  return {
    env,
    log,
    db,
    redis,
    auth,
    queues,
    rateLimits,
    mediaRpc,
    realtime: createRealtime({ db, log: log.child({ component: 'realtime' }) }),
    async close() {
      await queues.close()
      await db.destroy()
      redis.disconnect()
    },
  }
}
