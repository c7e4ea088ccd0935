// SFU fan-out: one producer (VP8 + Opus) to N consumers on one worker, media-node vs bare mediasoup.
// The media-node side goes through the product's code path (RoomRegistry/Room: joinRoom,
// createPlainTransport, consume, resumeConsumer); the bare side is a plain mediasoup script with the
// same worker binary, codecs, load generator and receivers, run alternately in the same run.
// Measures worker CPU, packets/s out, loss, worker memory, and the CPU of everything else on the
// machine. See bench/README.md.
//
//   npm run bench:media [-- --consumers 100,250 --measure 10 --modes media-node]
import { execFileSync } from 'node:child_process'
import os from 'node:os'
import { parseArgs } from 'node:util'
import type { types } from 'mediasoup'
import { createLogger } from '#core/logger.ts'
import type { MediaEvent } from '#core/protocol/media-rpc.ts'
import { AUDIO_LEVELS_INTERVAL_MS } from '#media-node/room.ts'
import { RoomRegistry } from '#media-node/rooms.ts'
import { createWorkerPool, MEDIA_CODECS } from '#media-node/worker-pool.ts'
import { mapLimit, sleep } from '../lib/async.ts'
import {
  CpuMeter,
  machineBusyPercent,
  readProcessMemory,
  readUdpDropsByPort,
  snapshotMachine,
  sumValues,
  type MachineSnapshot,
  type QuietWait,
  waitForQuietMachine,
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
import {
  DEFAULT_AUDIO,
  DEFAULT_VIDEO,
  startRtpGenerator,
  type GeneratorConfig,
  type GeneratorStats,
} from '../lib/rtp-generator.ts'
import { startRtpReceivers, type ReceiverReport } from '../lib/rtp-receivers.ts'

// ── What the issue asks for ─────────────────────────────────────────────────────────────────────
/** media-node worker CPU per forwarded packet, at most this times the bare script's. */
const TARGET_CPU_RATIO = 1.1
/** At least this many consumers on one worker… */
const TARGET_CONSUMERS = 500
/** …at no more than this share of one core… */
const TARGET_WORKER_CPU_PERCENT = 85
/** …with less loss than this. */
const TARGET_LOSS_PERCENT = 0.5

const DEFAULT_CONSUMER_COUNTS = [100, 250, 500, 1000]
const MODES = ['bare', 'media-node'] as const
/**
 * Diagnostics, not run by default: bare plus one media-node habit each — the speaker observers
 * every room has, or consumers created paused and then resumed.
 */
const EXTRA_MODES = ['bare-observers', 'bare-paused'] as const
type Mode = (typeof MODES)[number] | (typeof EXTRA_MODES)[number]

const WORKER_BIN =
  process.env.MEDIASOUP_WORKER_BIN ??
  `${os.homedir()}/.cache/vstrecha/mediasoup-worker-3.8.4/mediasoup-worker`
// mediasoup 3.8 reads the binary path once, when the module loads (both modes share the module).
process.env.MEDIASOUP_WORKER_BIN = WORKER_BIN
const mediasoup = await import('mediasoup')

const LISTEN_IP = '127.0.0.1'
const VIDEO_SSRC = 0x5f0a_0001
const AUDIO_SSRC = 0x5f0a_0002
/** Chrome's usual numbers; the router maps them to its own for consumers. */
const VP8_PAYLOAD_TYPE = 96
const OPUS_PAYLOAD_TYPE = 111
const AUDIO_LEVEL_EXTENSION_ID = 1
const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level'
/** Consumers set up at once; mediasoup's channel is the limit, not this. */
const SETUP_CONCURRENCY = 16
/** After warm-up, wait at most this long more for every consumer to get its first keyframe. */
const ALL_STREAMS_WAIT_MS = 5_000
const PAUSE_BETWEEN_RUNS_MS = 2_000
/** A run starts once the machine (nothing of ours running) is at most this busy, % of one core… */
const QUIET_BUSY_PERCENT = 30
/** …or after waiting this long. */
const QUIET_WAIT_MS = 45_000
/** Other people's CPU above this during the window marks a run as contended; it is run again. */
const CONTENDED_OTHERS_PERCENT = 35

const GENERATOR: GeneratorConfig = {
  seed: 20_261_126,
  sources: [
    { ...DEFAULT_VIDEO, ssrc: VIDEO_SSRC, payloadType: VP8_PAYLOAD_TYPE },
    {
      ...DEFAULT_AUDIO,
      ssrc: AUDIO_SSRC,
      payloadType: OPUS_PAYLOAD_TYPE,
      audioLevelExtensionId: AUDIO_LEVEL_EXTENSION_ID,
    },
  ],
}

const BROWSER_FEEDBACK: types.RtcpFeedback[] = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
]

/** What the generator sends, as a browser's mediasoup-client would describe it to produce(). */
const VIDEO_RTP_PARAMETERS: types.RtpParameters = {
  codecs: [
    {
      mimeType: 'video/VP8',
      payloadType: VP8_PAYLOAD_TYPE,
      clockRate: 90_000,
      rtcpFeedback: BROWSER_FEEDBACK,
    },
  ],
  encodings: [{ ssrc: VIDEO_SSRC }],
  rtcp: { cname: 'bench-generator' },
}
const AUDIO_RTP_PARAMETERS: types.RtpParameters = {
  codecs: [
    {
      mimeType: 'audio/opus',
      payloadType: OPUS_PAYLOAD_TYPE,
      clockRate: 48_000,
      channels: 2,
      parameters: { useinbandfec: 1 },
    },
  ],
  headerExtensions: [{ uri: AUDIO_LEVEL_URI, id: AUDIO_LEVEL_EXTENSION_ID }],
  encodings: [{ ssrc: AUDIO_SSRC }],
  rtcp: { cname: 'bench-generator' },
}

/**
 * The receivers' side: VP8 and Opus with a browser's NACK/PLI/FIR (so mediasoup keeps its
 * retransmission buffers, as for real participants) but no transport-cc/REMB, since plain
 * receivers send no congestion feedback. The same for both modes.
 */
function receiverCapabilities(router: types.RtpCapabilities): types.RtpCapabilities {
  return {
    codecs: (router.codecs ?? [])
      .filter((codec) => codec.mimeType === 'video/VP8' || codec.mimeType === 'audio/opus')
      .map((codec) => ({
        ...codec,
        rtcpFeedback: (codec.rtcpFeedback ?? []).filter(
          (feedback) => feedback.type === 'nack' || feedback.type === 'ccm',
        ),
      })),
    headerExtensions: (router.headerExtensions ?? []).filter(
      (extension) => extension.uri === AUDIO_LEVEL_URI,
    ),
  }
}

// ── The two SFU set-ups ─────────────────────────────────────────────────────────────────────────
type Endpoint = { ip: string; port: number }

type FanoutSfu = {
  workerPid: number
  /** The producers' transport: the generator sends here. */
  ingress: Endpoint
  /** One receiving participant: a transport to `endpoint` consuming video and audio. */
  addConsumer(endpoint: Endpoint, index: number): Promise<void>
  /** Media events the room published (media-node only; they go to Redis in production). */
  eventsPublished(): number
  close(): Promise<void>
}

type SfuOptions = { generatorPort: number; rtcMinPort: number; rtcMaxPort: number }

/** What any mediasoup app does, with nothing else on the router. */
async function startBareSfu(
  options: SfuOptions & { withSpeakerObservers?: boolean; isResumingConsumers?: boolean },
): Promise<FanoutSfu> {
  const worker = await mediasoup.createWorker({
    logLevel: 'warn',
    rtcMinPort: options.rtcMinPort,
    rtcMaxPort: options.rtcMaxPort,
  })
  const router = await worker.createRouter({ mediaCodecs: structuredClone(MEDIA_CODECS) })
  const transportOptions: types.PlainTransportOptions = {
    listenIp: { ip: LISTEN_IP },
    rtcpMux: true,
    comedia: false,
  }
  const ingress = await router.createPlainTransport(transportOptions)
  await ingress.connect({ ip: LISTEN_IP, port: options.generatorPort })
  const video = await ingress.produce({ kind: 'video', rtpParameters: VIDEO_RTP_PARAMETERS })
  const audio = await ingress.produce({ kind: 'audio', rtpParameters: AUDIO_RTP_PARAMETERS })
  if (options.withSpeakerObservers) {
    // The same observers and settings as media-node/room.ts createMediaPlane().
    const levels = await router.createAudioLevelObserver({
      interval: AUDIO_LEVELS_INTERVAL_MS,
      threshold: -70,
      maxEntries: 10,
    })
    const speaker = await router.createActiveSpeakerObserver()
    await levels.addProducer({ producerId: audio.id })
    await speaker.addProducer({ producerId: audio.id })
  }
  const rtpCapabilities = receiverCapabilities(router.rtpCapabilities)
  return {
    workerPid: worker.pid,
    ingress: { ip: ingress.tuple.localIp, port: ingress.tuple.localPort },
    async addConsumer(endpoint) {
      const transport = await router.createPlainTransport(transportOptions)
      await transport.connect(endpoint)
      for (const producer of [video, audio]) {
        const paused = Boolean(options.isResumingConsumers)
        const consumer = await transport.consume({
          producerId: producer.id,
          rtpCapabilities,
          paused,
        })
        if (paused) await consumer.resume()
      }
    },
    eventsPublished: () => 0,
    async close() {
      worker.close()
      await waitForExit(worker.pid)
    },
  }
}

/** The product's path: a media-node worker pool, a room, one peer per receiving participant. */
async function startMediaNodeSfu(options: SfuOptions): Promise<FanoutSfu> {
  const log = createLogger({ name: 'bench', level: 'warn', pretty: false })
  const pool = await createWorkerPool({
    workerBin: WORKER_BIN,
    count: 1,
    rtcMinPort: options.rtcMinPort,
    rtcMaxPort: options.rtcMaxPort,
    log,
  })
  let events = 0
  const rooms = new RoomRegistry({
    pool,
    listenIps: [{ ip: LISTEN_IP }],
    publish: (_event: MediaEvent) => {
      events += 1
    },
    log,
  })
  const roomId = 'bench-fanout'
  const join = (peerId: string) =>
    rooms.joinRoom({ roomId, peerId, userId: peerId, displayName: peerId, role: 'participant' })
  const { rtpCapabilities: routerCapabilities } = await join('presenter')
  const room = await rooms.getRoom(roomId)
  const ingress = await room.createPlainTransport({
    peerId: 'presenter',
    direction: 'send',
    remoteIp: LISTEN_IP,
    remotePort: options.generatorPort,
  })
  const producerIds: string[] = []
  for (const [kind, source, rtpParameters] of [
    ['video', 'camera', VIDEO_RTP_PARAMETERS],
    ['audio', 'microphone', AUDIO_RTP_PARAMETERS],
  ] as const) {
    const { producerId } = await room.produce({
      peerId: 'presenter',
      transportId: ingress.id,
      kind,
      source,
      rtpParameters,
      paused: false,
    })
    producerIds.push(producerId)
  }
  const rtpCapabilities = receiverCapabilities(routerCapabilities as types.RtpCapabilities)
  const workerPid = pool.workers()[0]!.pid!
  return {
    workerPid,
    ingress: { ip: ingress.ip, port: ingress.port },
    async addConsumer(endpoint, index) {
      const peerId = `viewer-${index}`
      await join(peerId)
      await room.createPlainTransport({
        peerId,
        direction: 'recv',
        remoteIp: endpoint.ip,
        remotePort: endpoint.port,
      })
      for (const producerId of producerIds) {
        const consumer = await room.consume({ peerId, producerId, rtpCapabilities })
        await room.resumeConsumer({ peerId, consumerId: consumer.id })
      }
    },
    eventsPublished: () => events,
    async close() {
      rooms.closeAll()
      await pool.close()
      await waitForExit(workerPid)
    },
  }
}

async function waitForExit(pid: number, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (performance.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      return
    }
    await sleep(20)
  }
  throw new Error(`mediasoup worker ${pid} did not exit`)
}

// Every consumer mediasoup creates in this process, whichever code path made it: their stats
// tell how many packets the worker sent, to check the receivers' accounting.
const liveConsumers = new Set<types.Consumer>()
mediasoup.observer.on('newworker', (worker: types.Worker) => {
  worker.observer.on('newrouter', (router: types.Router) => {
    router.observer.on('newtransport', (transport: types.Transport) => {
      transport.observer.on('newconsumer', (consumer: types.Consumer) => {
        liveConsumers.add(consumer)
        consumer.observer.once('close', () => liveConsumers.delete(consumer))
      })
    })
  })
})

async function packetsSentByConsumers(): Promise<number> {
  const counts = await mapLimit([...liveConsumers], 32, async (consumer) => {
    const stats = await consumer.getStats()
    return stats.find((stat) => stat.type === 'outbound-rtp')?.packetCount ?? 0
  })
  return counts.reduce((sum, count) => sum + count, 0)
}

// ── One measurement ─────────────────────────────────────────────────────────────────────────────
type RunOptions = {
  mode: Mode
  consumers: number
  receiverProcesses: number
  socketsPerProcess: number
  receiverNice: number
  warmupMs: number
  measureMs: number
  rtcMinPort: number
  rtcMaxPort: number
  quietWait: QuietWait
}

export type RunResult = {
  mode: Mode
  consumers: number
  receiverProcesses: number
  setupMs: number
  measureMs: number
  worker: {
    cpuPercent: number
    /** CPU time in the window. */
    cpuMs: number
    /** One sample per second of the window: how steady it was. */
    cpuPercentPerSecond: number[]
    rssBytes: number
    peakRssBytes: number
    rssBeforeConsumersBytes: number
  }
  /** Packets the worker put on the wire in the window (received + dropped at the receivers). */
  forwarded: number
  forwardedPerSecond: number
  receivedPerSecond: number
  receivedBitsPerSecond: number
  /** Worker CPU time per forwarded packet. */
  cpuPerPacketUs: number
  loss: {
    /** From RTP sequence numbers per consumer SSRC: (expected - received) / expected. */
    percent: number
    /** The SFU's share: losses not explained by drops on the receivers' sockets. */
    sfuPercent: number
    sfuLost: number
    lost: number
    expected: number
    /** Of the lost: dropped by the kernel on the receivers' full sockets (the harness's share). */
    receiverSocketDrops: number
    /** Dropped on the worker's ingress socket: the worker did not read fast enough. */
    ingressSocketDrops: number
    streams: number
    expectedStreams: number
    streamsWithLoss: number
  }
  generator: GeneratorStats & { cpuPercent: number; packetsPerSecond: number }
  receivers: { cpuPercent: number; cpuPercentEach: number[] }
  benchProcessCpuPercent: number
  machine: {
    before: MachineSnapshot
    windowStart: MachineSnapshot
    windowEnd: MachineSnapshot
    after: MachineSnapshot
    /** All cores during the window, in % of one core. */
    busyPercent: number
    /** busyPercent minus this benchmark's processes: other engineers' work. */
    othersPercent: number
    /** How long the run waited for a quiet machine, and whether it got one. */
    quietWait: QuietWait
  }
  /** Others used more than CONTENDED_OTHERS_PERCENT: pooled only if no clean run exists. */
  isContended: boolean
  /** Whole run: consumers' own packet counts against what the receivers saw or lost. */
  accounting: { sentByWorker: number; received: number; receiverSocketDrops: number }
  eventsPublished: number
}

async function runOnce(options: RunOptions): Promise<RunResult> {
  const before = snapshotMachine()
  const receivers = await startRtpReceivers({
    processes: options.receiverProcesses,
    socketsPerProcess: options.socketsPerProcess,
    nice: options.receiverNice,
  })
  const generator = await startRtpGenerator(GENERATOR, LISTEN_IP)
  const sfuOptions = {
    generatorPort: generator.port,
    rtcMinPort: options.rtcMinPort,
    rtcMaxPort: options.rtcMaxPort,
  }
  const sfu =
    options.mode === 'media-node'
      ? await startMediaNodeSfu(sfuOptions)
      : await startBareSfu({
          ...sfuOptions,
          withSpeakerObservers: options.mode === 'bare-observers',
          isResumingConsumers: options.mode === 'bare-paused',
        })
  let result: RunResult
  try {
    const rssBeforeConsumers = readProcessMemory(sfu.workerPid).rssBytes
    // Consumers first, media second: on 2 cores a worker already forwarding to hundreds of
    // consumers answers setup requests slowly, and setup is not what this measures.
    const setupStartedAt = performance.now()
    const indexes = Array.from({ length: options.consumers }, (_, i) => i)
    await mapLimit(indexes, SETUP_CONCURRENCY, (i) =>
      sfu.addConsumer(receivers.endpoints[i % receivers.endpoints.length]!, i),
    )
    const setupMs = performance.now() - setupStartedAt
    await generator.start(sfu.ingress)

    await sleep(options.warmupMs)
    const expectedStreams = options.consumers * 2
    const waitUntil = performance.now() + ALL_STREAMS_WAIT_MS
    for (;;) {
      await receivers.mark()
      await sleep(500)
      const { streams } = await receivers.report()
      if (streams >= expectedStreams || performance.now() > waitUntil) break
    }

    // ── The window ──
    const meters = {
      worker: new CpuMeter(sfu.workerPid),
      generator: new CpuMeter(generator.pid),
      receivers: receivers.pids.map((pid) => new CpuMeter(pid)),
      bench: new CpuMeter(process.pid),
    }
    const drops = () => ({
      receivers: receivers.socketDrops(),
      ingress: sumValues(readUdpDropsByPort([sfu.ingress.port])),
    })
    const dropsAtStart = drops()
    const generatorAtStart = await generator.stats()
    const windowStart = snapshotMachine()
    await receivers.mark()
    const startedAt = performance.now()
    const perSecond = new CpuMeter(sfu.workerPid)
    const cpuPercentPerSecond: number[] = []
    while (performance.now() - startedAt < options.measureMs - 500) {
      await sleep(Math.min(1_000, options.measureMs - (performance.now() - startedAt)))
      cpuPercentPerSecond.push(perSecond.read(true))
    }
    const report: ReceiverReport = await receivers.report()
    const elapsedMs = performance.now() - startedAt
    const windowEnd = snapshotMachine()
    const cpu = {
      worker: meters.worker.read(),
      generator: meters.generator.read(),
      receivers: meters.receivers.map((meter) => meter.read()),
      bench: meters.bench.read(),
    }
    const workerCpuMs = meters.worker.usedMs()
    const generatorAtEnd = await generator.stats()
    const dropsAtEnd = drops()
    const memory = readProcessMemory(sfu.workerPid)
    // ── End of the window ──

    const seconds = elapsedMs / 1000
    const receiverSocketDrops = dropsAtEnd.receivers - dropsAtStart.receivers
    const forwarded = report.received + receiverSocketDrops
    const sfuLost = Math.max(0, report.lost - receiverSocketDrops)
    const receiversCpu = cpu.receivers.reduce((sum, value) => sum + value, 0)
    const busyPercent = machineBusyPercent(windowStart, windowEnd)
    const othersPercent = busyPercent - cpu.worker - cpu.generator - receiversCpu - cpu.bench

    // With the source stopped and the last packets delivered, the two sides must agree.
    await generator.stop()
    await sleep(300)
    const sentByWorker = await packetsSentByConsumers()
    const finalReport = await receivers.report()
    result = {
      mode: options.mode,
      consumers: options.consumers,
      receiverProcesses: options.receiverProcesses,
      setupMs,
      measureMs: elapsedMs,
      worker: {
        cpuPercent: cpu.worker,
        cpuMs: workerCpuMs,
        cpuPercentPerSecond,
        rssBytes: memory.rssBytes,
        peakRssBytes: memory.peakRssBytes,
        rssBeforeConsumersBytes: rssBeforeConsumers,
      },
      forwarded,
      forwardedPerSecond: forwarded / seconds,
      receivedPerSecond: report.received / seconds,
      receivedBitsPerSecond: (report.bytes * 8) / seconds,
      cpuPerPacketUs: forwarded > 0 ? (workerCpuMs * 1000) / forwarded : NaN,
      loss: {
        percent: report.expected > 0 ? (report.lost / report.expected) * 100 : NaN,
        sfuPercent: report.expected > 0 ? (sfuLost / report.expected) * 100 : NaN,
        sfuLost,
        lost: report.lost,
        expected: report.expected,
        receiverSocketDrops,
        ingressSocketDrops: dropsAtEnd.ingress - dropsAtStart.ingress,
        streams: report.streams,
        expectedStreams,
        streamsWithLoss: report.streamsWithLoss,
      },
      generator: {
        ...generatorAtEnd,
        cpuPercent: cpu.generator,
        packetsPerSecond: (generatorAtEnd.packets - generatorAtStart.packets) / seconds,
      },
      receivers: { cpuPercent: receiversCpu, cpuPercentEach: cpu.receivers },
      benchProcessCpuPercent: cpu.bench,
      machine: {
        before,
        windowStart,
        windowEnd,
        // Replaced once everything is torn down.
        after: windowEnd,
        busyPercent,
        othersPercent,
        quietWait: options.quietWait,
      },
      isContended: othersPercent > CONTENDED_OTHERS_PERCENT,
      accounting: {
        sentByWorker,
        received: finalReport.totalPackets - finalReport.totalRtcpPackets,
        receiverSocketDrops: receivers.socketDrops(),
      },
      eventsPublished: sfu.eventsPublished(),
    }
  } finally {
    await generator.stop()
    await sfu.close()
    await receivers.stop()
  }
  await sleep(PAUSE_BETWEEN_RUNS_MS)
  result.machine.after = snapshotMachine()
  return result
}

// ── Output ──────────────────────────────────────────────────────────────────────────────────────
const TABLE: Array<Column<RunResult>> = [
  { title: 'N', value: (r) => String(r.consumers) },
  { title: 'mode', value: (r) => r.mode, alignLeft: true },
  { title: 'worker CPU %', value: (r) => fixed(r.worker.cpuPercent) },
  {
    title: 'per-s min–max',
    value: (r) =>
      r.worker.cpuPercentPerSecond.length > 0
        ? `${fixed(Math.min(...r.worker.cpuPercentPerSecond), 0)}–${fixed(Math.max(...r.worker.cpuPercentPerSecond), 0)}`
        : '-',
  },
  { title: 'pkt/s out', value: (r) => fixed(r.forwardedPerSecond, 0) },
  { title: 'Mbit/s', value: (r) => fixed(r.receivedBitsPerSecond / 1e6, 0) },
  { title: 'µs/pkt', value: (r) => fixed(r.cpuPerPacketUs, 2) },
  { title: 'loss %', value: (r) => fixed(r.loss.percent, 2) },
  { title: 'SFU loss %', value: (r) => fixed(r.loss.sfuPercent, 2) },
  {
    title: 'rx-drop/ingress-drop',
    value: (r) => `${r.loss.receiverSocketDrops}/${r.loss.ingressSocketDrops}`,
  },
  { title: 'streams', value: (r) => `${r.loss.streams}/${r.loss.expectedStreams}` },
  { title: 'worker RSS', value: (r) => megabytes(r.worker.rssBytes) },
  { title: 'gen CPU %', value: (r) => fixed(r.generator.cpuPercent) },
  {
    title: 'recv CPU %',
    value: (r) => `${fixed(r.receivers.cpuPercent, 0)} (${r.receiverProcesses}p)`,
  },
  { title: 'bench %', value: (r) => fixed(r.benchProcessCpuPercent) },
  {
    title: 'others %',
    value: (r) => `${fixed(r.machine.othersPercent, 0)}${r.isContended ? ' !' : ''}`,
  },
  {
    title: 'load1 before→after',
    value: (r) =>
      `${fixed(r.machine.before.loadavg[0], 2)}→${fixed(r.machine.after.loadavg[0], 2)}`,
  },
  { title: 'setup s', value: (r) => fixed(r.setupMs / 1000) },
]

/** All runs of one mode at one N, pooled: CPU per packet is total CPU over total packets. */
export type ModeSummary = {
  mode: Mode
  consumers: number
  /** Runs pooled: the clean ones, or all if every run was contended (then contendedRuns > 0). */
  runs: number
  contendedRuns: number
  cpuPercent: number
  cpuPerPacketUs: number
  /** The single runs' extremes: how far apart runs of the same set-up land. */
  cpuPerPacketUsMin: number
  cpuPerPacketUsMax: number
  forwardedPerSecond: number
  lossPercent: number
  sfuLossPercent: number
  maxRssBytes: number
}

function summarize(results: RunResult[]): ModeSummary[] {
  const groups = new Map<string, RunResult[]>()
  for (const result of results) {
    const key = `${result.consumers}/${result.mode}`
    groups.set(key, [...(groups.get(key) ?? []), result])
  }
  return [...groups.values()].map((all) => {
    const clean = all.filter((r) => !r.isContended)
    const runs = clean.length > 0 ? clean : all
    const total = (value: (r: RunResult) => number) => runs.reduce((sum, r) => sum + value(r), 0)
    const expected = total((r) => r.loss.expected)
    return {
      mode: runs[0]!.mode,
      consumers: runs[0]!.consumers,
      runs: runs.length,
      contendedRuns: runs.filter((r) => r.isContended).length,
      cpuPercent: total((r) => r.worker.cpuPercent) / runs.length,
      cpuPerPacketUs: (total((r) => r.worker.cpuMs) * 1000) / total((r) => r.forwarded),
      cpuPerPacketUsMin: Math.min(...runs.map((r) => r.cpuPerPacketUs)),
      cpuPerPacketUsMax: Math.max(...runs.map((r) => r.cpuPerPacketUs)),
      forwardedPerSecond: total((r) => r.forwardedPerSecond) / runs.length,
      lossPercent: expected > 0 ? (total((r) => r.loss.lost) / expected) * 100 : NaN,
      sfuLossPercent: expected > 0 ? (total((r) => r.loss.sfuLost) / expected) * 100 : NaN,
      maxRssBytes: Math.max(...runs.map((r) => r.worker.rssBytes)),
    }
  })
}

const SUMMARY_TABLE: Array<Column<ModeSummary>> = [
  { title: 'N', value: (s) => String(s.consumers) },
  { title: 'mode', value: (s) => s.mode, alignLeft: true },
  {
    title: 'runs',
    value: (s) => (s.contendedRuns > 0 ? `${s.runs} (contended)` : String(s.runs)),
  },
  { title: 'worker CPU % (mean)', value: (s) => fixed(s.cpuPercent) },
  { title: 'pkt/s out', value: (s) => fixed(s.forwardedPerSecond, 0) },
  { title: 'µs/pkt (pooled)', value: (s) => fixed(s.cpuPerPacketUs, 2) },
  {
    title: 'runs min–max',
    value: (s) => `${fixed(s.cpuPerPacketUsMin, 2)}–${fixed(s.cpuPerPacketUsMax, 2)}`,
  },
  { title: 'loss %', value: (s) => fixed(s.lossPercent, 2) },
  { title: 'SFU loss %', value: (s) => fixed(s.sfuLossPercent, 2) },
  { title: 'worker RSS (max)', value: (s) => megabytes(s.maxRssBytes) },
]

type Verdicts = {
  /** isContended: one side has only contended runs, so the ratio is weak evidence. */
  ratios: Array<{
    consumers: number
    ratio: number
    /** Fastest media-node run over slowest bare run, and the other way round. */
    ratioLow: number
    ratioHigh: number
    isMet: boolean
    isContended: boolean
  }>
  /** Diagnostic modes against bare (no target). */
  otherRatios: Array<{ mode: Mode; consumers: number; ratio: number }>
  capacity: {
    consumers: number
    cpuPercent: number
    /** SFU-side loss (what the target is about); endToEndLossPercent includes the receivers'. */
    lossPercent: number
    endToEndLossPercent: number
    isMet: boolean
    isContended: boolean
    /** The largest N tested whose media-node runs met both the CPU and the loss limit. */
    largestPassingConsumers: number | undefined
  }
}

function judge(summaries: ModeSummary[]): Verdicts {
  const find = (mode: Mode, consumers: number) =>
    summaries.find((s) => s.mode === mode && s.consumers === consumers)
  const counts = [...new Set(summaries.map((s) => s.consumers))]
  const ratios = counts.flatMap((consumers) => {
    const bare = find('bare', consumers)
    const node = find('media-node', consumers)
    if (!bare || !node) return []
    const ratio = node.cpuPerPacketUs / bare.cpuPerPacketUs
    const isContended = node.contendedRuns > 0 || bare.contendedRuns > 0
    return [
      {
        consumers,
        ratio,
        ratioLow: node.cpuPerPacketUsMin / bare.cpuPerPacketUsMax,
        ratioHigh: node.cpuPerPacketUsMax / bare.cpuPerPacketUsMin,
        isMet: ratio <= TARGET_CPU_RATIO,
        isContended,
      },
    ]
  })
  const otherRatios = summaries.flatMap((s) => {
    const bare = find('bare', s.consumers)
    if (!bare || s.mode === 'bare' || s.mode === 'media-node') return []
    return [{ mode: s.mode, consumers: s.consumers, ratio: s.cpuPerPacketUs / bare.cpuPerPacketUs }]
  })
  // Loss on the receivers' own sockets is the harness's, not the SFU's: judged without it.
  const isWithinLimits = (s: ModeSummary) =>
    s.cpuPercent <= TARGET_WORKER_CPU_PERCENT && s.sfuLossPercent < TARGET_LOSS_PERCENT
  const passing = summaries.filter((s) => s.mode === 'media-node' && isWithinLimits(s))
  const atTarget = find('media-node', TARGET_CONSUMERS)
  return {
    ratios,
    otherRatios,
    capacity: {
      consumers: TARGET_CONSUMERS,
      cpuPercent: atTarget?.cpuPercent ?? NaN,
      lossPercent: atTarget?.sfuLossPercent ?? NaN,
      endToEndLossPercent: atTarget?.lossPercent ?? NaN,
      isMet: Boolean(atTarget && isWithinLimits(atTarget)),
      isContended: Boolean(atTarget && atTarget.contendedRuns > 0),
      largestPassingConsumers:
        passing.length > 0 ? Math.max(...passing.map((s) => s.consumers)) : undefined,
    },
  }
}

function printVerdicts(verdicts: Verdicts): void {
  console.log('\nTargets')
  const contended = (isContended: boolean) =>
    isContended ? ' (only contended runs: not conclusive)' : ''
  for (const { consumers, ratio, ratioLow, ratioHigh, isMet, isContended } of verdicts.ratios) {
    console.log(
      `  N=${consumers}: media-node/bare worker CPU per forwarded packet = ${fixed(ratio, 3)} ` +
        `(single runs: ${fixed(ratioLow, 2)}–${fixed(ratioHigh, 2)}; target ≤ ` +
        `${TARGET_CPU_RATIO.toFixed(2)})  ${passOrMiss(isMet)}${contended(isContended)}`,
    )
  }
  for (const { mode, consumers, ratio } of verdicts.otherRatios) {
    console.log(
      `  N=${consumers}: ${mode}/bare worker CPU per forwarded packet = ${fixed(ratio, 3)}`,
    )
  }
  const { capacity } = verdicts
  console.log(
    `  ${capacity.consumers} consumers on one worker (media-node): CPU ${fixed(capacity.cpuPercent)}% ` +
      `(target ≤ ${TARGET_WORKER_CPU_PERCENT}%), SFU loss ${fixed(capacity.lossPercent, 2)}% ` +
      `(target < ${TARGET_LOSS_PERCENT}%; end-to-end ${fixed(capacity.endToEndLossPercent, 2)}%)  ${Number.isNaN(capacity.cpuPercent) ? 'NOT RUN' : passOrMiss(capacity.isMet)}${contended(capacity.isContended)}`,
  )
  console.log(
    `  largest N tested within both limits (media-node): ${capacity.largestPassingConsumers ?? 'none'}`,
  )
}

function environment() {
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    } catch {
      return undefined
    }
  })()
  return {
    node: process.version,
    mediasoup: mediasoup.version,
    workerBin: WORKER_BIN,
    commit,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model,
    totalMemoryBytes: os.totalmem(),
  }
}

// ── Main ────────────────────────────────────────────────────────────────────────────────────────
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    consumers: { type: 'string', short: 'n' },
    modes: { type: 'string', default: MODES.join(',') },
    repeats: { type: 'string', default: '2' },
    budget: { type: 'string', default: '600' },
    warmup: { type: 'string', default: '3' },
    measure: { type: 'string', default: '12' },
    receivers: { type: 'string' },
    sockets: { type: 'string', default: '4' },
    'receiver-nice': { type: 'string', default: '10' },
    'rtc-ports': { type: 'string', default: '20000-21999' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(`usage: node bench/media/sfu-fanout.ts [N ...] [options]
  -n, --consumers 100,250,500,1000   consumer counts (also as positional numbers)
  --modes bare,media-node            which set-ups; they alternate order per N
  --repeats 2                        runs per mode and N (order ABBA, BAAB, …; pooled)
  --budget 600                       seconds after which runs no longer wait for a quiet
                                     machine nor repeat contended runs
  --warmup 3 --measure 12            seconds
  --receivers K                      receiver processes (default: max(2, ceil(N/250)))
  --sockets 4                        UDP sockets per receiver process
  --receiver-nice 10                 niceness of the receivers, so the worker gets the CPU first
  --rtc-ports 20000-21999            the worker's port range (needs N + 1 ports)`)
  process.exit(0)
}
const consumerCounts = (
  positionals.length > 0
    ? positionals.flatMap((value) => value.split(',')).map(Number)
    : values.consumers
      ? values.consumers.split(',').map(Number)
      : DEFAULT_CONSUMER_COUNTS
).filter((n) => Number.isInteger(n) && n > 0)
const modes = values.modes
  .split(',')
  .filter((mode): mode is Mode => [...MODES, ...EXTRA_MODES].includes(mode as Mode))
const [rtcMinPort, rtcMaxPort] = values['rtc-ports'].split('-').map(Number) as [number, number]
if (consumerCounts.length === 0 || modes.length === 0) {
  console.error('nothing to run: check --consumers and --modes')
  process.exit(2)
}
if (rtcMaxPort - rtcMinPort < Math.max(...consumerCounts) + 10) {
  console.error(
    `--rtc-ports ${values['rtc-ports']} is too small for ${Math.max(...consumerCounts)} consumers`,
  )
  process.exit(2)
}
const warmupMs = Number(values.warmup) * 1000
const measureMs = Number(values.measure) * 1000

console.log(
  `SFU fan-out: ${consumerCounts.join(', ')} consumers × ${modes.join(' + ')}; ` +
    `warm-up ${warmupMs / 1000} s, window ${measureMs / 1000} s; mediasoup ${mediasoup.version}, ` +
    `${os.availableParallelism()} CPUs; load before: ${describeLoad(snapshotMachine())}`,
)
const results: RunResult[] = []
const benchStartedAt = performance.now()
const budgetMs = Number(values.budget) * 1000
const repeats = Number(values.repeats)
for (const [i, consumers] of consumerCounts.entries()) {
  // Alternating order (ABBA with two repeats), so that neither set-up always runs first or on a
  // machine the other just warmed up, and a steady drift in the machine's load cancels out.
  const order = Array.from({ length: repeats }, (_, r) =>
    (i + r) % 2 === 0 ? modes : [...modes].reverse(),
  ).flat()
  for (const mode of order) {
    const receiverProcesses = values.receivers
      ? Number(values.receivers)
      : Math.max(2, Math.ceil(consumers / 250))
    // A contended run is tried once more (within the time budget); both are kept in the JSON.
    for (let attempt = 1; attempt <= 2; attempt++) {
      const isWithinBudget = performance.now() - benchStartedAt < budgetMs
      const quietWait = isWithinBudget
        ? await waitForQuietMachine({
            maxBusyPercent: QUIET_BUSY_PERCENT,
            timeoutMs: QUIET_WAIT_MS,
          })
        : { isQuiet: false, busyPercent: NaN, waitedMs: 0 }
      process.stdout.write(
        `  N=${consumers} ${mode}${attempt > 1 ? ' (again)' : ''}: waited ` +
          `${fixed(quietWait.waitedMs / 1000, 0)} s for quiet (${fixed(quietWait.busyPercent, 0)}%); `,
      )
      const result = await runOnce({
        mode,
        consumers,
        receiverProcesses,
        socketsPerProcess: Number(values.sockets),
        receiverNice: Number(values['receiver-nice']),
        warmupMs,
        measureMs,
        rtcMinPort,
        rtcMaxPort,
        quietWait,
      })
      results.push(result)
      console.log(
        `worker ${fixed(result.worker.cpuPercent)}%, ${fixed(result.forwardedPerSecond, 0)} ` +
          `pkt/s, loss ${fixed(result.loss.percent, 2)}%, others ` +
          `${fixed(result.machine.othersPercent, 0)}%${result.isContended ? ' (contended)' : ''}, ` +
          `load ${describeLoad(result.machine.before)} → ${describeLoad(result.machine.after)}`,
      )
      if (!result.isContended || performance.now() - benchStartedAt >= budgetMs) break
    }
  }
}

console.log(`\nEach run\n${formatTable(TABLE, results)}`)
const summaries = summarize(results)
console.log(
  `\nPooled per N and mode (${repeats} run(s) each)\n${formatTable(SUMMARY_TABLE, summaries)}`,
)
const verdicts = judge(summaries)
printVerdicts(verdicts)
const file = writeResults('sfu-fanout', {
  benchmark: 'sfu-fanout',
  startedAt: results[0]?.machine.before.at,
  environment: environment(),
  config: {
    consumerCounts,
    modes,
    warmupMs,
    measureMs,
    repeats,
    socketsPerProcess: Number(values.sockets),
    receiverNice: Number(values['receiver-nice']),
    generator: GENERATOR,
  },
  targets: {
    cpuRatio: TARGET_CPU_RATIO,
    consumers: TARGET_CONSUMERS,
    workerCpuPercent: TARGET_WORKER_CPU_PERCENT,
    lossPercent: TARGET_LOSS_PERCENT,
  },
  summaries,
  verdicts,
  results,
})
console.log(`\nresults: ${file}`)
