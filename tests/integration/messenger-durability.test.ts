// Durability of the messenger's send path: a web process on its OWN PostgreSQL and Redis (started
// here, not the shared test servers), three clients streaming messages into two conversations,
// Redis killed with SIGKILL and restarted, PostgreSQL stopped with `pg_ctl -m immediate` and
// started again. Clients retry with the same idempotency key until acked, like the browser. After
// the storm: every acknowledged message is in the database exactly once, and each sender's messages
// are in per-conversation seq order with no holes or duplicates in any conversation.
import { execFileSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import pg from 'pg'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { createDatabase, type Database } from '#core/db/client.ts'
import { migrateToLatest } from '#core/db/migrate.ts'
import type { Ack } from '#core/protocol/ack.ts'
import type { MessengerMessage } from '#core/protocol/messenger.ts'
import { createRedis, type Redis } from '#core/redis.ts'
import { listCaughtMail } from '#server/mail-catcher.ts'
import { signUpPerson, type Person } from '#tests/fixtures/messenger.ts'
import {
  getFreePort,
  spawnProcess,
  waitUntil,
  type SpawnedProcess,
} from '#tests/fixtures/process.ts'
import { productEnv, spawnProduct, waitForWeb } from '#tests/fixtures/stack.ts'

const MESSAGES_PER_STREAM = 150
const REQUEST_TIMEOUT_MS = 3_000

function findPgBin(): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((name) => existsSync(`/usr/lib/postgresql/${name}/bin/postgres`))
    .sort((a, b) => Number(a) - Number(b))
  if (!versions.length) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql')
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`
}

const isRoot = process.getuid?.() === 0
/** PostgreSQL refuses to run as root: as root, its tools run as the postgres user. */
function asPostgres(command: string, args: string[]) {
  const [file, argv] = isRoot
    ? ['runuser', ['-u', 'postgres', '--', command, ...args]]
    : [command, args]
  return execFileSync(file, argv, { cwd: '/', stdio: 'pipe', timeout: 60_000 }).toString()
}

type OwnPostgres = {
  url: string
  stopImmediate: () => void
  start: () => void
  destroy: () => void
}

function startOwnPostgres(port: number): OwnPostgres {
  const bin = findPgBin()
  const dir = mkdtempSync('/tmp/vstrecha-durability-pg-')
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    chownSync(dir, uid, -1)
  }
  chmodSync(dir, 0o700)
  asPostgres(`${bin}/initdb`, ['-D', dir, '-U', 'vstrecha', '--auth=trust', '-E', 'UTF8'])
  const start = () =>
    asPostgres(`${bin}/pg_ctl`, [
      '-D',
      dir,
      '-w',
      '-l',
      `${dir}/server.log`,
      '-o',
      // fsync stays on: durability of acknowledged commits is the point.
      `-c listen_addresses=127.0.0.1 -p ${port} -k /tmp -c fsync=on -c synchronous_commit=on`,
      'start',
    ])
  start()
  return {
    url: `postgres://vstrecha@127.0.0.1:${port}/vstrecha`,
    start,
    stopImmediate: () => asPostgres(`${bin}/pg_ctl`, ['-D', dir, '-m', 'immediate', 'stop']),
    destroy() {
      try {
        asPostgres(`${bin}/pg_ctl`, ['-D', dir, '-m', 'immediate', 'stop'])
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function startOwnRedis(port: number): SpawnedProcess {
  return spawnProcess({
    name: 'redis',
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  })
}

let postgres: OwnPostgres
let redisPort: number
let redisServer: SpawnedProcess
let redis: Redis
let db: Database
let web: SpawnedProcess
let workers: SpawnedProcess
let baseUrl: string
const redisPrefix = 'durability:'

beforeAll(async () => {
  const pgPort = await getFreePort()
  redisPort = await getFreePort()
  postgres = startOwnPostgres(pgPort)
  const admin = new pg.Client({
    connectionString: postgres.url.replace(/\/vstrecha$/, '/postgres'),
  })
  await admin.connect()
  await admin.query('create database vstrecha')
  await admin.end()
  db = createDatabase({ url: postgres.url, maxConnections: 2 })
  await migrateToLatest(db)
  redisServer = startOwnRedis(redisPort)
  redis = createRedis(`redis://127.0.0.1:${redisPort}`)
  // It reconnects by itself after the kill; the refused connects in between are expected.
  redis.on('error', () => {})
  await waitUntil(async () => (await redis.ping().catch(() => '')) === 'PONG', {
    description: 'own Redis answering',
    timeoutMs: 10_000,
  })
  const [port, smtpPort] = [await getFreePort(), await getFreePort()]
  baseUrl = `http://localhost:${port}`
  const env = productEnv({
    databaseUrl: postgres.url,
    redisUrl: `redis://127.0.0.1:${redisPort}`,
    redisPrefix,
    port,
    baseUrl,
    smtpPort,
    env: { RATE_LIMIT_FACTOR: '100' },
  })
  ;({ web, workers } = spawnProduct(env))
  await waitForWeb(baseUrl, web)
})

afterAll(async () => {
  await Promise.all([web?.stop(), workers?.stop()])
  redis?.disconnect()
  await db?.destroy()
  await redisServer?.stop({ signal: 'SIGKILL' })
  postgres?.destroy()
})

/** A socket like the browser's: reconnects by itself, also after a refused handshake. */
function connectResilient(cookie: string): Socket {
  const socket = connectSocket(baseUrl, {
    transports: ['websocket'],
    extraHeaders: { cookie },
    reconnectionDelay: 100,
    reconnectionDelayMax: 1_000,
  })
  socket.on('connect_error', () => {
    // A handshake refused by the server (database down during the session check) is not retried
    // by socket.io-client on its own.
    if (!socket.active) setTimeout(() => socket.connect(), 300)
  })
  return socket
}

type Acked = { message: MessengerMessage; idempotencyKey: string; attempts: number }

/** Sends `count` messages one after another, each retried with its own key until acked. */
async function stream(
  socket: Socket,
  conversationId: string,
  label: string,
  count: number,
  acked: Acked[],
) {
  for (let index = 1; index <= count; index += 1) {
    const idempotencyKey = randomUUID()
    const body = `${label} ${index}`
    for (let attempt = 1; ; attempt += 1) {
      if (attempt > 400) throw new Error(`${body} never acked`)
      const ack = (await socket
        .timeout(REQUEST_TIMEOUT_MS)
        .emitWithAck('messenger:post', { conversationId, body, idempotencyKey })
        .catch(() => null)) as Ack<{ message: MessengerMessage }> | null
      if (ack?.ok) {
        acked.push({ message: ack.data.message, idempotencyKey, attempts: attempt })
        break
      }
      if (ack && (ack.code === 'BAD_REQUEST' || ack.code === 'FORBIDDEN')) {
        throw new Error(`${body}: ${ack.code} ${ack.message}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
}

describe('messenger durability', () => {
  let alice: Person
  let bob: Person

  beforeAll(async () => {
    const stackLike = {
      baseUrl,
      database: { db },
      waitForMail: (to: string) =>
        waitUntil(async () => (await listCaughtMail(redis, redisPrefix, to))[0], {
          description: `an email to ${to}`,
          timeoutMs: 20_000,
          intervalMs: 100,
        }),
    }
    alice = await signUpPerson(stackLike, 'Alice Durable')
    bob = await signUpPerson(stackLike, 'Bob Durable', alice.organizationId)
  })

  it('keeps every acknowledged message exactly once, in order, through a Redis kill -9 and a PostgreSQL immediate restart', async () => {
    onTestFailed(() => {
      console.error(`--- web ---\n${web.output().slice(-8000)}`)
    })
    const setupSocket = connectResilient(alice.http.cookieHeader())
    const create = async (title: string) => {
      const ack = (await setupSocket
        .timeout(10_000)
        .emitWithAck('messenger:createGroup', { title, memberIds: [bob.userId] })) as Ack<{
        conversation: { id: string }
      }>
      if (!ack.ok) throw new Error(ack.message)
      return ack.data.conversation.id
    }
    const first = await create('Durable one')
    const second = await create('Durable two')
    setupSocket.disconnect()

    const sockets = [
      connectResilient(alice.http.cookieHeader()),
      connectResilient(bob.http.cookieHeader()),
      connectResilient(alice.http.cookieHeader()),
    ]
    await Promise.all(
      sockets.map(
        (socket) => new Promise<void>((resolve) => socket.once('connect', () => resolve())),
      ),
    )
    const acked: Acked[] = []
    const streams = Promise.all([
      stream(sockets[0]!, first, 'alice-1', MESSAGES_PER_STREAM, acked),
      stream(sockets[1]!, first, 'bob-1', MESSAGES_PER_STREAM, acked),
      stream(sockets[2]!, second, 'alice-2', MESSAGES_PER_STREAM, acked),
    ])
    let failure: unknown
    void streams.catch((error: unknown) => (failure = error))

    const waitAcked = (count: number) =>
      waitUntil(
        () => {
          if (failure) throw failure
          return acked.length >= count
        },
        { description: `${count} acked`, timeoutMs: 60_000, intervalMs: 20 },
      )

    await waitAcked(60)
    const beforeRedisKill = acked.length
    await redisServer.stop({ signal: 'SIGKILL' })
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    redisServer = startOwnRedis(redisPort)

    await waitAcked(beforeRedisKill + 80)
    const beforePgRestart = acked.length
    postgres.stopImmediate()
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    postgres.start()

    await streams
    for (const socket of sockets) socket.disconnect()
    expect(web.isRunning()).toBe(true)
    expect(acked.length).toBe(3 * MESSAGES_PER_STREAM)
    expect(beforePgRestart).toBeLessThan(acked.length)
    // Some sends really had to be retried through the outages.
    expect(acked.some((item) => item.attempts > 1)).toBe(true)

    const rows = await waitUntil(
      () =>
        db
          .selectFrom('message')
          .select(['id', 'conversationId', 'seq', 'senderId', 'idempotencyKey', 'body'])
          .where('conversationId', 'in', [first, second])
          .orderBy('seq')
          .execute()
          .catch(() => undefined),
      { description: 'the database answering again', timeoutMs: 20_000 },
    )
    // Exactly once: one row per acknowledged (sender, key), the same row the ack named.
    const byKey = new Map<string, typeof rows>()
    for (const row of rows) {
      const key = `${row.senderId}:${row.idempotencyKey}`
      byKey.set(key, [...(byKey.get(key) ?? []), row])
    }
    for (const item of acked) {
      const stored = byKey.get(`${item.message.sender.id}:${item.idempotencyKey}`) ?? []
      expect(stored.map((row) => row.id)).toEqual([item.message.id])
      expect(stored[0]!.seq).toBe(item.message.seq)
      expect(stored[0]!.body).toBe(item.message.body)
    }
    expect(rows).toHaveLength(acked.length)
    // Per conversation: seqs 1..n, and each sender's messages in the order they were sent.
    for (const conversationId of [first, second]) {
      const inConversation = rows.filter((row) => row.conversationId === conversationId)
      expect(inConversation.map((row) => row.seq)).toEqual(
        Array.from({ length: inConversation.length }, (_, index) => index + 1),
      )
      for (const label of ['alice-1', 'bob-1', 'alice-2']) {
        const bodies = inConversation
          .map((row) => row.body)
          .filter((body) => body.startsWith(`${label} `))
        if (!bodies.length) continue
        expect(bodies).toEqual(
          Array.from({ length: MESSAGES_PER_STREAM }, (_, index) => `${label} ${index + 1}`),
        )
      }
    }
    console.info(
      `durability: ${acked.length} acked; ${beforeRedisKill} before the Redis kill, ` +
        `${beforePgRestart} before the PostgreSQL restart; ` +
        `${acked.filter((item) => item.attempts > 1).length} needed retries ` +
        `(max ${Math.max(...acked.map((item) => item.attempts))} attempts)`,
    )
  }, 240_000)
})
