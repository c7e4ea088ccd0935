// The web process: Express serving Remix (pages, loaders, actions), better-auth's HTTP endpoints and
// the socket.io gateway on one HTTP(S) server.
import http from 'node:http'
import https from 'node:https'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import { toNodeHandler } from 'better-auth/node'
import compression from 'compression'
import express from 'express'
import { pinoHttp } from 'pino-http'
import type { ViteDevServer } from 'vite'
import { loadEnvOrExit, WebEnvSchema } from '#core/env.ts'
import { isAppError } from '#core/errors.ts'
import { createLogger } from '#core/logger.ts'
import { createAppContext } from './app-context.ts'
import { createAttachmentRoutes } from './http/attachments.ts'
import { securityHeaders, sameOriginOnly } from './http/security.ts'
import { startMailCatcher } from './mail-catcher.ts'
import { attachSocketServer } from './socket.ts'
import { createStorage } from './storage/index.ts'
import { loadOrCreateCertificate } from './tls.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const env = loadEnvOrExit(WebEnvSchema, 'web')
const isProduction = env.NODE_ENV === 'production'
const isDevServer = process.argv.includes('--dev')
const log = createLogger({ name: 'web', level: env.LOG_LEVEL })
const app = createAppContext(env, log)

const expressApp = express()
expressApp.disable('x-powered-by')
expressApp.set('trust proxy', env.TRUST_PROXY)
expressApp.use(securityHeaders({ isProduction: !isDevServer }))
expressApp.use(compression())
expressApp.use(
  pinoHttp({
    logger: log,
    autoLogging: {
      ignore: (req) => /^\/(assets|@vite|@fs|node_modules|favicon)/.test(req.url ?? ''),
    },
    serializers: {
      req: (req: { id: unknown; method: string; url: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, err) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  }),
)
expressApp.use(sameOriginOnly({ allowedOrigins: [new URL(env.PUBLIC_URL).origin] }))

// better-auth's own endpoints (email verification links, magic links, JSON API): limited per IP.
const authHandler = toNodeHandler(app.auth)
expressApp.all('/api/auth/*', async (req, res) => {
  try {
    if (req.method !== 'GET') await app.rateLimits.consume('authApi', req.ip ?? 'unknown')
    await authHandler(req, res)
  } catch (error) {
    if (isAppError(error)) {
      if (error.retryAfter) res.setHeader('Retry-After', String(error.retryAfter))
      res.status(error.status).json({ code: error.code, message: error.message })
      return
    }
    log.error({ err: error }, 'auth handler failed')
    res.status(500).json({ code: 'INTERNAL', message: 'Internal error' })
  }
})

// Messenger attachments: upload, authorized download, thumbnails (server/http/attachments.ts).
expressApp.use(createAttachmentRoutes({ app, storage: createStorage(env) }))

// Browsers ask for /favicon.ico whatever the page declares.
expressApp.get('/favicon.ico', (_req, res) => res.redirect(301, '/favicon.svg'))

let build: ServerBuild | (() => Promise<ServerBuild>)
let viteDevServer: ViteDevServer | undefined
if (isDevServer) {
  const vite = await import('vite')
  viteDevServer = await vite.createServer({ root, server: { middlewareMode: true } })
  expressApp.use(viteDevServer.middlewares)
  build = () => viteDevServer!.ssrLoadModule('virtual:remix/server-build') as Promise<ServerBuild>
} else {
  const clientDir = path.join(root, 'build/client')
  expressApp.use(
    '/assets',
    express.static(path.join(clientDir, 'assets'), { immutable: true, maxAge: '1y' }),
  )
  expressApp.use(express.static(clientDir, { maxAge: '1h' }))
  build = (await import(path.join(root, 'build/server/index.js'))) as ServerBuild
}

expressApp.all(
  '*',
  createRequestHandler({
    build,
    mode: isProduction ? 'production' : 'development',
    getLoadContext: (req, res) => ({
      app,
      log: req.log,
      nonce: String(res.locals.nonce),
      clientIp: req.ip ?? 'unknown',
    }),
  }),
)

const server = env.HTTPS
  ? https.createServer(
      {
        ...loadOrCreateCertificate({
          certFile: env.TLS_CERT_FILE,
          keyFile: env.TLS_KEY_FILE,
          dir: path.resolve(root, env.TLS_DIR),
        }),
        minVersion: 'TLSv1.3',
      },
      expressApp,
    )
  : http.createServer(expressApp)
const sockets = await attachSocketServer(server, app)
const mailCatcher =
  env.MAIL_CATCHER_PORT !== undefined && !isProduction
    ? startMailCatcher({
        port: env.MAIL_CATCHER_PORT,
        redis: app.redis,
        prefix: env.REDIS_PREFIX,
        log,
      })
    : undefined

server.listen(env.PORT, env.HOST, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  log.info({ url: env.PUBLIC_URL, port, dev: isDevServer }, 'web listening')
})

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'shutting down')
  const forceExit = setTimeout(() => process.exit(1), 10_000)
  forceExit.unref()
  server.close()
  await sockets.close()
  await mailCatcher?.close()
  await viteDevServer?.close()
  await app.close()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
