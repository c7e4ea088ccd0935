// The only module that creates mediasoup workers (pinned 3.8.4, see
// docs/decisions/0003-mediasoup-3.8.4-offline.md), so an upgrade stays inside media-node/.
import { EventEmitter } from 'node:events'
import type * as MediasoupModule from 'mediasoup'
import type { types } from 'mediasoup'
import type { Logger } from '#core/logger.ts'

/** Codecs every router offers; the room layer passes these to createRouter. */
export const MEDIA_CODECS: types.RtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  {
    kind: 'video',
    mimeType: 'video/VP8',
    clockRate: 90000,
    parameters: { 'x-google-start-bitrate': 1000 },
  },
  {
    kind: 'video',
    mimeType: 'video/VP9',
    clockRate: 90000,
    parameters: { 'profile-id': 0, 'x-google-start-bitrate': 1000 },
  },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: {
      'packetization-mode': 1,
      'profile-level-id': '42e01f',
      'level-asymmetry-allowed': 1,
      'x-google-start-bitrate': 1000,
    },
  },
]

/** A worker that dies sooner than this after starting counts as crash-looping and backs off. */
const MIN_HEALTHY_UPTIME_MS = 10_000
const MAX_RESPAWN_DELAY_MS = 30_000
/** mediasoup 3.8 exits on SIGTERM quickly; past this we stop waiting and let process exit reap it. */
const WORKER_EXIT_WAIT_MS = 2_000
/** Each WebRtcTransport takes one port per protocol, so a slice below this is useless. */
const MIN_PORTS_PER_WORKER = 10

export type PortRange = { min: number; max: number }

export type WorkerLoad = {
  routers: number
  transports: number
  producers: number
  consumers: number
}

export type WorkerStatus = WorkerLoad & {
  slot: number
  /** The pid of the current worker, or of the dead one while its replacement starts. */
  pid: number | undefined
  isAlive: boolean
  ports: PortRange
  restarts: number
  /** Distinct `roomId`s among this worker's routers. */
  rooms: string[]
}

export type WorkerResourceUsage = {
  slot: number
  pid: number
  /** ru_utime + ru_stime, in ms. */
  cpuMs: number
  /** ru_maxrss: kilobytes on Linux, converted to bytes. */
  maxRssBytes: number
}

export type WorkerDiedEvent = { slot: number; pid: number; error: Error; roomIds: string[] }
export type WorkerReplacedEvent = {
  slot: number
  previousPid: number
  pid: number
  /** Time from the `died` event to the new worker running. */
  downtimeMs: number
  /** Rooms that had routers on the dead worker; the room layer rebuilds them. */
  roomIds: string[]
}

type PoolEvents = {
  'worker-died': [WorkerDiedEvent]
  'worker-replaced': [WorkerReplacedEvent]
}

/** What the room layer gets from pickWorker(): enough to create a router, nothing else. */
export type PooledWorker = {
  slot: number
  pid: number
  createRouter(options: { roomId: string }): Promise<types.Router>
}

type Slot = {
  index: number
  ports: PortRange
  worker: types.Worker | undefined
  lastPid: number | undefined
  startedAt: number
  restarts: number
  quickDeaths: number
  respawnTimer: NodeJS.Timeout | undefined
  load: WorkerLoad
  routers: Set<types.Router>
}

type Mediasoup = typeof MediasoupModule

/** Splits [min, max] into `count` contiguous slices; the last one takes the remainder. */
export function splitPortRange(min: number, max: number, count: number): PortRange[] {
  const size = Math.floor((max - min + 1) / count)
  if (size < MIN_PORTS_PER_WORKER) {
    throw new Error(
      `RTC port range ${min}-${max} gives ${size} ports per worker for ${count} workers; ` +
        `need at least ${MIN_PORTS_PER_WORKER}`,
    )
  }
  return Array.from({ length: count }, (_, i) => ({
    min: min + i * size,
    max: i === count - 1 ? max : min + (i + 1) * size - 1,
  }))
}

export type CreateWorkerPoolOptions = {
  workerBin: string
  count: number
  rtcMinPort: number
  rtcMaxPort: number
  log: Logger
  logLevel?: types.WorkerLogLevel
}

export class WorkerPool extends EventEmitter<PoolEvents> {
  readonly #mediasoup: Mediasoup
  readonly #slots: Slot[]
  readonly #log: Logger
  readonly #logLevel: types.WorkerLogLevel
  #restartsTotal = 0
  #isClosing = false

  constructor(options: {
    mediasoup: Mediasoup
    ports: PortRange[]
    log: Logger
    logLevel: types.WorkerLogLevel
  }) {
    super()
    this.#mediasoup = options.mediasoup
    this.#log = options.log
    this.#logLevel = options.logLevel
    this.#slots = options.ports.map((ports, index) => ({
      index,
      ports,
      worker: undefined,
      lastPid: undefined,
      startedAt: 0,
      restarts: 0,
      quickDeaths: 0,
      respawnTimer: undefined,
      load: { routers: 0, transports: 0, producers: 0, consumers: 0 },
      routers: new Set(),
    }))
  }

  get size(): number {
    return this.#slots.length
  }

  get restartsTotal(): number {
    return this.#restartsTotal
  }

  /** Starts every worker; rejects (after closing the started ones) if any fails to start. */
  async start(): Promise<void> {
    try {
      await Promise.all(this.#slots.map((slot) => this.#spawn(slot)))
    } catch (error) {
      await this.close()
      throw error
    }
  }

  /** The live worker with the fewest routers, then the fewest consumers. */
  pickWorker(): PooledWorker {
    let best: Slot | undefined
    for (const slot of this.#slots) {
      if (!slot.worker || slot.worker.closed) continue
      if (
        !best ||
        slot.load.routers < best.load.routers ||
        (slot.load.routers === best.load.routers && slot.load.consumers < best.load.consumers)
      ) {
        best = slot
      }
    }
    if (!best?.worker) throw new Error('no mediasoup worker is alive')
    const worker = best.worker
    return {
      slot: best.index,
      pid: worker.pid,
      createRouter: ({ roomId }) =>
        worker.createRouter({ mediaCodecs: structuredClone(MEDIA_CODECS), appData: { roomId } }),
    }
  }

  workers(): WorkerStatus[] {
    return this.#slots.map((slot) => ({
      slot: slot.index,
      pid: slot.worker?.pid ?? slot.lastPid,
      isAlive: Boolean(slot.worker && !slot.worker.closed),
      ports: slot.ports,
      restarts: slot.restarts,
      ...slot.load,
      rooms: roomIdsOf(slot),
    }))
  }

  /** Sums over all workers; a room with routers on several workers counts once. */
  totals(): WorkerLoad & { rooms: number; workersAlive: number } {
    const rooms = new Set<string>()
    const sum = { routers: 0, transports: 0, producers: 0, consumers: 0, workersAlive: 0 }
    for (const slot of this.#slots) {
      for (const roomId of roomIdsOf(slot)) rooms.add(roomId)
      sum.routers += slot.load.routers
      sum.transports += slot.load.transports
      sum.producers += slot.load.producers
      sum.consumers += slot.load.consumers
      if (slot.worker && !slot.worker.closed) sum.workersAlive += 1
    }
    return { ...sum, rooms: rooms.size }
  }

  /** Resource usage of the live workers; a worker that does not answer in time is left out. */
  async getResourceUsage(timeoutMs = 2_000): Promise<WorkerResourceUsage[]> {
    const results = await Promise.all(
      this.#slots.map(async (slot): Promise<WorkerResourceUsage | undefined> => {
        const worker = slot.worker
        if (!worker || worker.closed) return undefined
        try {
          const usage = await withTimeout(worker.getResourceUsage(), timeoutMs)
          return {
            slot: slot.index,
            pid: worker.pid,
            cpuMs: usage.ru_utime + usage.ru_stime,
            maxRssBytes: usage.ru_maxrss * 1024,
          }
        } catch (error) {
          this.#log.warn(
            { err: error, slot: slot.index, workerPid: worker.pid },
            'getResourceUsage failed',
          )
          return undefined
        }
      }),
    )
    return results.filter((usage) => usage !== undefined)
  }

  /**
   * From now on a dying worker is not replaced. Shutdown calls this first: a Ctrl-C in a terminal
   * also reaches the workers, which then exit on their own before close() runs.
   */
  stopReplacing(): void {
    this.#isClosing = true
    for (const slot of this.#slots) clearTimeout(slot.respawnTimer)
  }

  /** Stops replacing, closes every worker and waits (briefly) for their processes to exit. */
  async close(): Promise<void> {
    this.stopReplacing()
    const pids: number[] = []
    for (const slot of this.#slots) {
      if (slot.worker && !slot.worker.closed) {
        pids.push(slot.worker.pid)
        slot.worker.close()
      }
    }
    await Promise.all(pids.map((pid) => waitForExit(pid, WORKER_EXIT_WAIT_MS)))
  }

  async #spawn(slot: Slot): Promise<void> {
    const worker = await this.#mediasoup.createWorker({
      logLevel: this.#logLevel,
      rtcMinPort: slot.ports.min,
      rtcMaxPort: slot.ports.max,
      appData: { slot: slot.index },
    })
    if (this.#isClosing) {
      worker.close()
      return
    }
    slot.worker = worker
    slot.lastPid = worker.pid
    slot.startedAt = Date.now()
    slot.load = { routers: 0, transports: 0, producers: 0, consumers: 0 }
    slot.routers = new Set()
    this.#trackLoad(slot, worker)
    worker.on('died', (error: Error) => this.#onDied(slot, worker, error))
    this.#log.info(
      { slot: slot.index, workerPid: worker.pid, ports: slot.ports },
      'mediasoup worker started',
    )
  }

  #onDied(slot: Slot, worker: types.Worker, error: Error): void {
    const diedAt = Date.now()
    const roomIds = roomIdsOf(slot)
    slot.routers.clear()
    if (this.#isClosing) return
    this.#log.error(
      { slot: slot.index, workerPid: worker.pid, err: error, roomIds },
      'mediasoup worker died',
    )
    this.emit('worker-died', { slot: slot.index, pid: worker.pid, error, roomIds })

    slot.quickDeaths = diedAt - slot.startedAt < MIN_HEALTHY_UPTIME_MS ? slot.quickDeaths + 1 : 0
    // First death respawns at once; a crash loop backs off so it does not eat the CPU.
    const delay =
      slot.quickDeaths <= 1 ? 0 : Math.min(MAX_RESPAWN_DELAY_MS, 500 * 2 ** (slot.quickDeaths - 2))
    this.#scheduleRespawn(slot, { previousPid: worker.pid, diedAt, roomIds }, delay)
  }

  #scheduleRespawn(
    slot: Slot,
    death: { previousPid: number; diedAt: number; roomIds: string[] },
    delay: number,
    attempt = 1,
  ): void {
    slot.respawnTimer = setTimeout(async () => {
      slot.respawnTimer = undefined
      if (this.#isClosing) return
      try {
        await this.#spawn(slot)
      } catch (error) {
        const retryIn = Math.min(MAX_RESPAWN_DELAY_MS, 1_000 * 2 ** (attempt - 1))
        this.#log.error(
          { slot: slot.index, err: error, attempt, retryIn },
          'mediasoup worker respawn failed',
        )
        this.#scheduleRespawn(slot, death, retryIn, attempt + 1)
        return
      }
      if (this.#isClosing || !slot.worker) return
      slot.restarts += 1
      this.#restartsTotal += 1
      const event: WorkerReplacedEvent = {
        slot: slot.index,
        previousPid: death.previousPid,
        pid: slot.worker.pid,
        downtimeMs: Date.now() - death.diedAt,
        roomIds: death.roomIds,
      }
      const { pid: workerPid, ...rest } = event
      this.#log.info({ ...rest, workerPid }, 'mediasoup worker replaced')
      this.emit('worker-replaced', event)
    }, delay)
  }

  // Counts come from mediasoup's observer events, so they stay right however a transport,
  // producer or consumer is closed (explicitly, by its parent, or by the worker dying).
  #trackLoad(slot: Slot, worker: types.Worker): void {
    const load = slot.load
    const track = (key: keyof WorkerLoad, observer: types.Router['observer']) => {
      load[key] += 1
      observer.once('close', () => {
        load[key] -= 1
      })
    }
    worker.observer.on('newrouter', (router: types.Router) => {
      slot.routers.add(router)
      // Routers closed by a dying worker stay listed until #onDied has read their room ids.
      router.observer.once('close', () => {
        if (!worker.closed) slot.routers.delete(router)
      })
      track('routers', router.observer)
      router.observer.on('newtransport', (transport: types.Transport) => {
        track('transports', transport.observer)
        transport.observer.on('newproducer', (producer: types.Producer) =>
          track('producers', producer.observer),
        )
        transport.observer.on('newconsumer', (consumer: types.Consumer) =>
          track('consumers', consumer.observer),
        )
      })
    })
  }
}

/** Starts `count` workers with disjoint RTC port slices. */
export async function createWorkerPool(options: CreateWorkerPoolOptions): Promise<WorkerPool> {
  // mediasoup 3.8 reads the binary path from the environment once, when the module loads.
  process.env.MEDIASOUP_WORKER_BIN = options.workerBin
  const mediasoup = await import('mediasoup')
  const pool = new WorkerPool({
    mediasoup,
    ports: splitPortRange(options.rtcMinPort, options.rtcMaxPort, options.count),
    log: options.log,
    logLevel: options.logLevel ?? 'warn',
  })
  await pool.start()
  return pool
}

function roomIdOf(router: types.Router): string | undefined {
  const roomId: unknown = router.appData?.roomId
  return typeof roomId === 'string' ? roomId : undefined
}

function roomIdsOf(slot: Slot): string[] {
  return [...new Set([...slot.routers].map(roomIdOf).filter((id) => id !== undefined))]
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0)
    } catch {
      return
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
