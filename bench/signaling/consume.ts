// Signaling consume throughput: consume operations per second and their p50/p95/p99 latency at
// increasing concurrency, through socket.io → web → signed RPC → media-node → mediasoup. One
// operation is what a client does to start receiving a stream: media:consume, then
// media:resumeConsumer, each a socket.io request with an ack. Runs a whole stack from
// tests/fixtures/stack.ts (web, workers, media-node with one mediasoup worker) on the production
// build; needs DATABASE_URL, REDIS_URL and MEDIASOUP_WORKER_BIN like the tests. See bench/README.md.
//
//   npm run bench:signaling [-- --concurrency 1,16,64 --ops 2000 --cpu-prof /tmp/profiles]
//
// One producer peer (the organizer) produces a microphone (synthetic Opus RTP) and a camera through
// an msc-node send transport, the product's path. Each consumer peer is a guest's socket.io client
// that joined the room and created a real WebRTC recv transport on the node (not ICE-connected: no
// media reaches it, which only matters to the media benchmark). A consumer peer loops: consume the
// next producer (camera and microphone in turn), resume that consumer, repeat; `concurrency` peers do
// so at once. The rtpCapabilities sent are the router's, as a browser supporting every router codec
// would send them (mediasoup-client's recvRtpCapabilities). Before each level the producers are
// closed and produced again, which closes every consumer, so each level starts from an empty room
// (a level of 2000 operations leaves 1000 video consumers, ~1.4 GB in the worker). Before the
// levels, a breakdown at concurrency 1 times the gateway alone and the RPC alone.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import { parseArgs } from 'node:util'
import { MediaStreamTrack } from 'msc-node'
import type { Meeting } from '#core/db/types.ts'
import { signMediaRpcRequest } from '#core/media-rpc-auth.ts'
import type { Ack } from '#core/protocol/ack.ts'
import type {
  MediaRpcMethod,
  MediaRpcRequest,
  MediaRpcResponses,
} from '#core/protocol/media-rpc.ts'
import { createMeeting, createOrganization } from '#tests/fixtures/factories.ts'
import { createHttpClient, type HttpClient } from '#tests/fixtures/http-client.ts'
import {
  connectSignaling,
  createMediaPeer,
  type MediaPeer,
  type SignalingClient,
} from '#tests/fixtures/signaling.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'
import { mapLimit, sleep } from '../lib/async.ts'
import {
  CONTENDED_OTHERS_PERCENT,
  QUIET_BUSY_PERCENT,
  CpuMeter,
  machineBusyPercent,
  readProcessMemory,
  snapshotMachine,
  waitForQuietMachine,
  type MachineSnapshot,
  type QuietWait,
} from '../lib/proc.ts'
import {
  describeLoad,
  fixed,
  formatTable,
  megabytes,
  passOrMiss,
  writeResults,
  type Column,
} from '../lib/report.ts'
import { ensureTemplateDatabase } from '../lib/template-database.ts'

// ── What the issue asks for ─────────────────────────────────────────────────────────────────────
/** Consume operations (consume + resume) per second… */
const TARGET_OPS_PER_SECOND = 1000
/** …with the 99th percentile of one operation at most this. */
const TARGET_P99_MS = 25

const DEFAULT_CONCURRENCY = [1, 4, 8, 16, 32, 64, 128]
/** Operations measured per level; the room then holds this many consumers (half of them video). */
const DEFAULT_OPS = 2000
/** Operations run and thrown away before each level, so JIT and connection pools are warm. */
const DEFAULT_WARMUP_OPS = 100
/** Guests joined, created and connected at once during setup. */
const SETUP_CONCURRENCY = 8
/** Round trips per part in the breakdown (one at a time, before the levels). */
const BREAKDOWN_SAMPLES = 500
/** Consumer-closed events of a reset travel to every socket; let them settle before measuring. */
const SETTLE_MS = 1_500

const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: DEFAULT_CONCURRENCY.join(',') },
    ops: { type: 'string', default: String(DEFAULT_OPS) },
    warmup: { type: 'string', default: String(DEFAULT_WARMUP_OPS) },
    'quiet-wait': { type: 'string', default: '45' },
    /** Writes V8 CPU profiles of web, workers and media-node (at their exit) into this folder. */
    'cpu-prof': { type: 'string' },
  },
})
const concurrencyLevels = args.concurrency.split(',').map(Number)
const opsPerLevel = Number(args.ops)
const warmupOps = Number(args.warmup)
const quietWaitMs = Number(args['quiet-wait']) * 1000
if (concurrencyLevels.some((level) => !Number.isInteger(level) || level < 1)) {
  throw new Error(`--concurrency takes positive integers: ${args.concurrency}`)
}
const consumerPeers = Math.max(...concurrencyLevels)

// ── Setup ───────────────────────────────────────────────────────────────────────────────────────
type Producers = { peer: MediaPeer; ids: string[]; close(): Promise<void> }

/** The organizer's camera and microphone, produced through the msc-node send transport. */
async function produceCameraAndMicrophone(
  host: SignalingClient,
  peer: MediaPeer,
): Promise<Producers> {
  const microphone = await peer.produceAudio()
  const transport = await peer.sendTransport()
  const camera = await transport.produce({
    track: new MediaStreamTrack({ kind: 'video' }),
    appData: { source: 'camera' },
  })
  return {
    peer,
    ids: [camera.id, microphone.producer.id],
    async close() {
      microphone.stop()
      for (const producer of [camera, microphone.producer]) {
        await host.call('media:closeProducer', { producerId: producer.id })
        producer.close()
      }
    },
  }
}

type ConsumerPeer = { client: SignalingClient; peerId: string; routerRtpCapabilities: unknown }

async function setUp(stack: Stack) {
  const email = `bench-${Date.now()}@example.com`
  const organizerHttp = createHttpClient(stack.baseUrl)
  await organizerHttp.post('/signup', {
    name: 'Bench Organizer',
    email,
    password: 'a strong passphrase',
  })
  await organizerHttp.get(linkIn(await stack.waitForMail(email)))
  const user = await stack.database.db
    .selectFrom('user')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const organization = await createOrganization(stack.database.db, user)
  const meeting: Meeting = await createMeeting(stack.database.db, {
    organizationId: organization.id,
    organizerId: user.id,
    access: 'open',
  })
  // Opening the invite link makes the organizer an admitted participant.
  await organizerHttp.get(`/m/${meeting.inviteCode}`)

  const host = await connectSignaling(stack.baseUrl, organizerHttp.cookieHeader())
  const hostJoined = await host.call('media:join', { inviteCode: meeting.inviteCode })
  const hostPeer = await createMediaPeer(host, hostJoined)
  const producers = await produceCameraAndMicrophone(host, hostPeer)

  const consumers = await mapLimit(
    Array.from({ length: consumerPeers }, (_, index) => index),
    SETUP_CONCURRENCY,
    async (index): Promise<ConsumerPeer> => {
      const http: HttpClient = createHttpClient(stack.baseUrl)
      const admitted = await http.post(`/m/${meeting.inviteCode}`, { name: `Guest ${index}` })
      if (admitted.status !== 302) throw new Error(`guest ${index}: HTTP ${admitted.status}`)
      const client = await connectSignaling(stack.baseUrl, http.cookieHeader())
      const joined = await client.call('media:join', { inviteCode: meeting.inviteCode })
      await client.call('media:createTransport', { direction: 'recv' })
      return { client, peerId: joined.peerId, routerRtpCapabilities: joined.routerRtpCapabilities }
    },
  )
  return { meeting, host, hostPeer, producers, consumers }
}

// ── Where the time goes ─────────────────────────────────────────────────────────────────────────
/**
 * A signed RPC straight to the media-node, the way web makes it (node:http, keep-alive), so the
 * node's share of an operation can be told from web's and socket.io's.
 */
function createDirectRpc(nodeUrl: string, secret: string) {
  const agent = new http.Agent({ keepAlive: true })
  return <M extends MediaRpcMethod>(
    method: M,
    request: MediaRpcRequest<M>,
  ): Promise<Ack<MediaRpcResponses[M]>> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(request)
      const call = http.request(
        new URL(`/rpc/${method}`, nodeUrl),
        {
          method: 'POST',
          agent,
          headers: {
            ...signMediaRpcRequest({ secret, method, body }),
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          const chunks: Buffer[] = []
          response.on('data', (chunk: Buffer) => chunks.push(chunk))
          response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
          response.on('error', reject)
        },
      )
      call.on('error', reject)
      call.end(body)
    })
}

type Breakdown = {
  /** socket.io round trip through the gateway that stops at the payload check (BAD_REQUEST ack). */
  gatewayOnlyMs: Latencies
  /** consume + resumeConsumer as signed RPCs straight to the media-node. */
  directRpcMs: Latencies
  /** The same operation through socket.io and web. */
  operationMs: Latencies
}

async function measureBreakdown(options: {
  peer: ConsumerPeer
  producerIds: string[]
  roomId: string
  rpc: ReturnType<typeof createDirectRpc>
}): Promise<Breakdown> {
  const { peer, producerIds, roomId, rpc } = options
  const gatewayOnly: number[] = []
  const directRpc: number[] = []
  for (let index = 0; index < BREAKDOWN_SAMPLES; index += 1) {
    let at = performance.now()
    const refused = await peer.client.request('media:resumeConsumer', { consumerId: '' })
    gatewayOnly.push(performance.now() - at)
    if (refused.ok || refused.code !== 'BAD_REQUEST') throw new Error('expected BAD_REQUEST')

    at = performance.now()
    const consumed = await rpc('consume', {
      roomId,
      peerId: peer.peerId,
      producerId: producerIds[index % producerIds.length]!,
      rtpCapabilities: peer.routerRtpCapabilities as MediaRpcRequest<'consume'>['rtpCapabilities'],
    })
    if (!consumed.ok) throw new Error(`direct consume: ${consumed.code} ${consumed.message}`)
    const resumed = await rpc('resumeConsumer', {
      roomId,
      peerId: peer.peerId,
      consumerId: consumed.data.id,
    })
    if (!resumed.ok) throw new Error(`direct resume: ${resumed.code} ${resumed.message}`)
    directRpc.push(performance.now() - at)
  }
  const operations = await runOps([peer], producerIds, 1, BREAKDOWN_SAMPLES)
  return {
    gatewayOnlyMs: summarize(gatewayOnly),
    directRpcMs: summarize(directRpc),
    operationMs: summarize(operations.operation),
  }
}

// ── Measuring ───────────────────────────────────────────────────────────────────────────────────
type Latencies = { p50: number; p95: number; p99: number; max: number; mean: number }

function summarize(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (quantile: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)] ?? NaN
  return {
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.at(-1) ?? NaN,
    mean: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
  }
}

type RunResult = {
  ops: number
  errors: string[]
  elapsedMs: number
  operation: number[]
  consume: number[]
  resume: number[]
}

/** `ops` operations shared among `concurrency` peers, each doing one operation at a time. */
async function runOps(
  peers: ConsumerPeer[],
  producerIds: string[],
  concurrency: number,
  ops: number,
): Promise<RunResult> {
  const result: RunResult = {
    ops: 0,
    errors: [],
    elapsedMs: 0,
    operation: [],
    consume: [],
    resume: [],
  }
  let started = 0
  const startedAt = performance.now()
  await Promise.all(
    peers.slice(0, concurrency).map(async ({ client, routerRtpCapabilities }) => {
      while (started < ops) {
        const producerId = producerIds[started % producerIds.length]!
        started += 1
        const at = performance.now()
        const consumed = await client.request('media:consume', {
          producerId,
          rtpCapabilities: routerRtpCapabilities,
        })
        const consumedAt = performance.now()
        if (!consumed.ok) {
          result.errors.push(`consume: ${consumed.code} ${consumed.message}`)
          continue
        }
        const resumed = await client.request('media:resumeConsumer', {
          consumerId: consumed.data.id,
        })
        const resumedAt = performance.now()
        if (!resumed.ok) {
          result.errors.push(`resume: ${resumed.code} ${resumed.message}`)
          continue
        }
        result.consume.push(consumedAt - at)
        result.resume.push(resumedAt - consumedAt)
        result.operation.push(resumedAt - at)
        result.ops += 1
      }
    }),
  )
  result.elapsedMs = performance.now() - startedAt
  return result
}

/** The mediasoup worker processes of the media-node. */
function mediasoupWorkerPids(parentPid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return (
          parent === parentPid &&
          readFileSync(`/proc/${entry}/comm`, 'utf8').startsWith('mediasoup')
        )
      } catch {
        return false
      }
    })
    .map(Number)
}

type LevelResult = {
  concurrency: number
  ops: number
  errors: number
  firstErrors: string[]
  elapsedMs: number
  opsPerSecond: number
  requestsPerSecond: number
  operationMs: Latencies
  consumeMs: Latencies
  resumeMs: Latencies
  /** % of one core over the level, per process. */
  cpu: {
    bench: number
    web: number
    mediaNode: number
    worker: number
    machine: number
    /** The machine minus the four above: other people's work (and the stack's idle jobs process). */
    others: number
  }
  /** How long the level waited for a quiet machine, and whether it got one. */
  quietWait: QuietWait
  isContended: boolean
  /**
   * CPU ms per operation, per process: what an operation costs whatever else runs on the machine
   * (latency and ops/s on shared cores depend on the neighbours; this much less).
   */
  cpuMsPerOp: { bench: number; web: number; mediaNode: number; worker: number }
  workerRssBytes: number
  loadBefore: MachineSnapshot['loadavg']
  loadAfter: MachineSnapshot['loadavg']
  isTargetMet: boolean
}

// ── Main ────────────────────────────────────────────────────────────────────────────────────────
const ms = (value: number) => fixed(value, 1)
const machineAtStart = snapshotMachine()
console.log(
  `signaling consume: ${consumerPeers} consumer peers, concurrency ${concurrencyLevels.join(', ')}, ` +
    `${opsPerLevel} operations per level (+${warmupOps} warm-up); ` +
    `load ${describeLoad(machineAtStart)} on ${machineAtStart.cpus} cores`,
)
await ensureTemplateDatabase()
const mediaRpcSecret = randomBytes(24).toString('hex')
const stack = await startStack({
  media: { workers: 1 },
  env: {
    // Every guest signs in from 127.0.0.1: the per-IP budgets are for people, not for this.
    RATE_LIMIT_FACTOR: '1000',
    // Known here too, for the direct RPC of the breakdown.
    MEDIA_RPC_SECRET: mediaRpcSecret,
    ...(args['cpu-prof'] ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${args['cpu-prof']}` } : {}),
  },
})
const levels: LevelResult[] = []
let breakdown: Breakdown | undefined
let failure: unknown
try {
  const mediaNodePid = stack.media!.process.pid
  const [workerPid] = mediasoupWorkerPids(mediaNodePid)
  if (!workerPid) throw new Error('no mediasoup worker under the media-node')
  const setupStartedAt = performance.now()
  const setup = await setUp(stack)
  let producers = setup.producers
  console.log(
    `setup: ${setup.consumers.length} consumer peers with recv transports in ` +
      `${fixed((performance.now() - setupStartedAt) / 1000)} s\n`,
  )

  await runOps(setup.consumers, producers.ids, 1, warmupOps)
  breakdown = await measureBreakdown({
    peer: setup.consumers[0]!,
    producerIds: producers.ids,
    roomId: setup.meeting.id,
    rpc: createDirectRpc(stack.media!.node.httpUrl, mediaRpcSecret),
  })
  console.log(
    `breakdown at concurrency 1 (p50/p99 ms): gateway only ${ms(breakdown.gatewayOnlyMs.p50)}/${ms(breakdown.gatewayOnlyMs.p99)}, ` +
      `direct RPC consume+resume ${ms(breakdown.directRpcMs.p50)}/${ms(breakdown.directRpcMs.p99)}, ` +
      `operation through socket.io ${ms(breakdown.operationMs.p50)}/${ms(breakdown.operationMs.p99)}`,
  )

  for (const concurrency of concurrencyLevels) {
    // A new pair of producers: closing the old ones closes every consumer made so far.
    await producers.close()
    producers = await produceCameraAndMicrophone(setup.host, setup.hostPeer)
    await sleep(SETTLE_MS)
    const quietWait = await waitForQuietMachine({
      maxBusyPercent: QUIET_BUSY_PERCENT,
      timeoutMs: quietWaitMs,
    })
    await runOps(setup.consumers, producers.ids, concurrency, warmupOps)
    const before = snapshotMachine()
    const meters = {
      bench: new CpuMeter(process.pid),
      web: new CpuMeter(stack.web.pid),
      mediaNode: new CpuMeter(mediaNodePid),
      worker: new CpuMeter(workerPid),
    }
    const run = await runOps(setup.consumers, producers.ids, concurrency, opsPerLevel)
    const after = snapshotMachine()
    const operationMs = summarize(run.operation)
    const opsPerSecond = (run.ops / run.elapsedMs) * 1000
    const cpu = {
      bench: meters.bench.read(),
      web: meters.web.read(),
      mediaNode: meters.mediaNode.read(),
      worker: meters.worker.read(),
      machine: machineBusyPercent(before, after),
    }
    const others = Math.max(0, cpu.machine - cpu.bench - cpu.web - cpu.mediaNode - cpu.worker)
    const level: LevelResult = {
      concurrency,
      ops: run.ops,
      errors: run.errors.length,
      firstErrors: [...new Set(run.errors)].slice(0, 5),
      elapsedMs: run.elapsedMs,
      opsPerSecond,
      requestsPerSecond: opsPerSecond * 2,
      operationMs,
      consumeMs: summarize(run.consume),
      resumeMs: summarize(run.resume),
      cpu: { ...cpu, others },
      quietWait,
      isContended: others > CONTENDED_OTHERS_PERCENT,
      cpuMsPerOp: {
        bench: meters.bench.usedMs() / run.ops,
        web: meters.web.usedMs() / run.ops,
        mediaNode: meters.mediaNode.usedMs() / run.ops,
        worker: meters.worker.usedMs() / run.ops,
      },
      workerRssBytes: readProcessMemory(workerPid).rssBytes,
      loadBefore: before.loadavg,
      loadAfter: after.loadavg,
      isTargetMet:
        run.errors.length === 0 &&
        opsPerSecond >= TARGET_OPS_PER_SECOND &&
        operationMs.p99 <= TARGET_P99_MS,
    }
    levels.push(level)
    console.log(
      `concurrency ${concurrency}: ${fixed(opsPerSecond, 0)} ops/s, p99 ${fixed(operationMs.p99)} ms, ` +
        `${level.errors} errors; others ${fixed(others, 0)}%${level.isContended ? ' (contended)' : ''}, ` +
        `load ${describeLoad(before)} → ${describeLoad(after)} ` +
        `(waited ${fixed(quietWait.waitedMs / 1000, 0)} s for quiet: ${quietWait.isQuiet ? 'got it' : 'did not'})`,
    )
  }
} catch (error) {
  failure = error
  console.error(error)
  console.error(`--- web ---\n${stack.web.output().slice(-4000)}`)
  console.error(`--- media-node ---\n${stack.media?.process.output().slice(-4000)}`)
} finally {
  await stack.stop()
}
const machineAtEnd = snapshotMachine()

const columns: Array<Column<LevelResult>> = [
  { title: 'conc', value: (l) => String(l.concurrency) },
  { title: 'ops/s', value: (l) => fixed(l.opsPerSecond, 0) },
  { title: 'req/s', value: (l) => fixed(l.requestsPerSecond, 0) },
  { title: 'p50', value: (l) => ms(l.operationMs.p50) },
  { title: 'p95', value: (l) => ms(l.operationMs.p95) },
  { title: 'p99', value: (l) => ms(l.operationMs.p99) },
  { title: 'max', value: (l) => ms(l.operationMs.max) },
  { title: 'consume p50/p99', value: (l) => `${ms(l.consumeMs.p50)}/${ms(l.consumeMs.p99)}` },
  { title: 'resume p50/p99', value: (l) => `${ms(l.resumeMs.p50)}/${ms(l.resumeMs.p99)}` },
  { title: 'err', value: (l) => String(l.errors) },
  { title: 'cpu bench', value: (l) => `${fixed(l.cpu.bench, 0)}%` },
  { title: 'web', value: (l) => `${fixed(l.cpu.web, 0)}%` },
  { title: 'node', value: (l) => `${fixed(l.cpu.mediaNode, 0)}%` },
  { title: 'worker', value: (l) => `${fixed(l.cpu.worker, 0)}%` },
  { title: 'machine', value: (l) => `${fixed(l.cpu.machine, 0)}%` },
  {
    title: 'others',
    value: (l) => `${fixed(l.cpu.others, 0)}%${l.isContended ? '!' : ''}`,
  },
  {
    title: 'cpu ms/op web/node/worker',
    value: (l) =>
      [l.cpuMsPerOp.web, l.cpuMsPerOp.mediaNode, l.cpuMsPerOp.worker]
        .map((value) => fixed(value, 2))
        .join('/'),
  },
  { title: 'worker rss', value: (l) => megabytes(l.workerRssBytes) },
  {
    title: 'load before → after',
    value: (l) => `${l.loadBefore[0].toFixed(2)} → ${l.loadAfter[0].toFixed(2)}`,
  },
  { title: 'target', value: (l) => passOrMiss(l.isTargetMet) },
]
console.log(
  `\nOne operation = media:consume + media:resumeConsumer acks, in ms; CPU in % of one core ` +
    `(machine: all of it, ${machineAtStart.cpus * 100}% = every core busy; others: the machine minus ` +
    `bench, web, node and worker, ! = contended) and in CPU ms per operation.\n`,
)
console.log(formatTable(columns, levels))
const best = levels
  .filter((level) => level.isTargetMet)
  .sort((a, b) => b.opsPerSecond - a.opsPerSecond)[0]
const isPass = failure === undefined && best !== undefined
const contendedLevels = levels.filter((level) => level.isContended).length
console.log(
  `\nTarget ≥${TARGET_OPS_PER_SECOND} ops/s with p99 ≤${TARGET_P99_MS} ms at one concurrency: ` +
    passOrMiss(isPass) +
    (best
      ? ` (concurrency ${best.concurrency}: ${fixed(best.opsPerSecond, 0)} ops/s, p99 ${ms(best.operationMs.p99)} ms)`
      : '') +
    (!isPass && contendedLevels > 0
      ? ` — ${contendedLevels} of ${levels.length} levels ran on a contended machine, rerun when it is quiet`
      : '') +
    `\nMachine load (1/5/15 min) before ${describeLoad(machineAtStart)}, after ${describeLoad(machineAtEnd)}`,
)
const file = writeResults('signaling-consume', {
  benchmark: 'signaling/consume',
  target: { opsPerSecond: TARGET_OPS_PER_SECOND, p99Ms: TARGET_P99_MS },
  config: { concurrencyLevels, opsPerLevel, warmupOps, consumerPeers, mediaWorkers: 1 },
  node: process.version,
  gitCommit: gitCommit(),
  machine: { before: machineAtStart, after: machineAtEnd },
  breakdown,
  levels,
  verdict: passOrMiss(isPass),
  contendedLevels,
  error: failure === undefined ? undefined : String(failure),
})
console.log(`results: ${file}`)
process.exit(failure === undefined ? 0 : 1)

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
  } catch {
    return undefined
  }
}
