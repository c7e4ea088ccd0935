// Room lifecycle on a media-node: a killed mediasoup worker takes only its own rooms down, which are
// rebuilt elsewhere and announced with `room-reset`; empty rooms wait out a grace period.
import { randomBytes } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { createLogger } from '#core/logger.ts'
import type { MediaEvent } from '#core/protocol/media-rpc.ts'
import { createRedis } from '#core/redis.ts'
import { RoomRegistry } from '#media-node/rooms.ts'
import { createWorkerPool, type WorkerPool } from '#media-node/worker-pool.ts'
import {
  createMediaPeer,
  sleep,
  startMediaNodeProcess,
  subscribeMediaEvents,
  waitForGrowth,
  type MediaEventLog,
  type MediaNodeProcess,
} from '../fixtures/media-node.ts'
import { waitUntil } from '../fixtures/process.ts'

const WORKER_BIN = process.env.MEDIASOUP_WORKER_BIN
const REDIS_URL = process.env.REDIS_URL
/** Generous for 2 shared cores; measured in tens of milliseconds. */
const ROOM_RESET_BOUND_MS = 3_000

const cleanups: Array<() => Promise<void> | void> = []

beforeAll(() => {
  if (!WORKER_BIN || !REDIS_URL) {
    throw new Error(
      'MEDIASOUP_WORKER_BIN and REDIS_URL must be set (the test runner script does this)',
    )
  }
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

const uniqueId = (label: string) => `${label}-${randomBytes(4).toString('hex')}`

async function startNode(): Promise<{ node: MediaNodeProcess; events: MediaEventLog }> {
  const node = await startMediaNodeProcess({
    redisUrl: REDIS_URL!,
    workerBin: WORKER_BIN!,
    workers: 2,
  })
  cleanups.push(async () => {
    await node.stop()
    const redis = createRedis(REDIS_URL!)
    const keys = await redis.keys(`${node.prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  })
  onTestFailed(() =>
    console.error(`--- media-node output ---\n${node.proc.output().slice(-20_000)}`),
  )
  const events = await subscribeMediaEvents(REDIS_URL!, node.prefix)
  cleanups.push(() => events.close())
  return { node, events }
}

/** A sender with microphone + camera and a receiver whose consumers are resumed and receiving. */
async function startCall(node: MediaNodeProcess, roomId: string) {
  const sender = createMediaPeer({ node, roomId, peerId: uniqueId('sender') })
  const receiver = createMediaPeer({ node, roomId, peerId: uniqueId('receiver') })
  cleanups.push(() => {
    sender.close()
    receiver.close()
  })
  await sender.join()
  await receiver.join()
  const connect = async () => {
    const mic = await sender.produce('microphone')
    const cam = await sender.produce('camera')
    const audio = await receiver.consume(mic.producerId)
    const video = await receiver.consume(cam.producerId)
    for (const consumer of [audio, video]) {
      await node.call('resumeConsumer', {
        roomId,
        peerId: receiver.peerId,
        consumerId: consumer.id,
      })
    }
    await waitForGrowth(`audio in ${roomId}`, audio.packets, 10)
    await waitForGrowth(`video in ${roomId}`, video.packets, 10)
    return { mic, cam, audio, video }
  }
  return { sender, receiver, connect, media: await connect() }
}

describe('a mediasoup worker dying under a room', () => {
  it('rebuilds that room on a live worker, announces room-reset, and leaves the other room alone', async () => {
    const { node, events } = await startNode()
    const roomA = uniqueId('room-a')
    const roomB = uniqueId('room-b')

    // Rooms go to the worker with the fewest routers, so two rooms land on two workers.
    const a = await startCall(node, roomA)
    const afterA = await node.workerRouters()
    const workerA = afterA.find((worker) => worker.routers === 1)!
    const b = await startCall(node, roomB)
    const afterB = await node.workerRouters()
    expect(afterB.map((worker) => worker.routers)).toEqual([1, 1])
    const workerB = afterB.find((worker) => worker.pid !== workerA.pid)!
    expect(workerB.pid).not.toBe(workerA.pid)

    const killedAt = performance.now()
    process.kill(workerA.pid, 'SIGKILL')
    const reset = await events.waitFor(
      `room-reset for ${roomA}`,
      (event) => event.type === 'room-reset' && event.roomId === roomA,
      ROOM_RESET_BOUND_MS,
    )
    const resetAfterMs = reset.receivedAt - killedAt
    console.info(
      `room-reset for the killed worker's room after ${resetAfterMs.toFixed(0)} ms (kill -9 → Redis event)`,
    )
    expect(resetAfterMs).toBeLessThan(ROOM_RESET_BOUND_MS)

    // Room B never stopped: its consumers keep receiving, nothing was announced for it.
    await waitForGrowth('audio in room B after the kill', b.media.audio.packets, 25)
    await waitForGrowth('video in room B after the kill', b.media.video.packets, 25)
    const roomBEvents = (event: MediaEvent) =>
      event.roomId === roomB && event.type !== 'audio-levels' && event.type !== 'active-speaker'
    expect(events.events.filter(roomBEvents)).toEqual([])
    // The reset announces the room once, not every object that went down with the worker.
    expect(
      events.events.filter(
        (event) =>
          event.roomId === roomA &&
          event.type !== 'audio-levels' &&
          event.type !== 'active-speaker',
      ),
    ).toEqual([expect.objectContaining({ type: 'room-reset', roomId: roomA })])

    // Room A kept its peers but not their media objects.
    const listed = await node.call('joinRoom', {
      roomId: roomA,
      peerId: uniqueId('observer'),
      userId: 'observer',
      displayName: 'Observer',
      role: 'participant',
    })
    expect(listed.peers.map((peer) => peer.peerId).sort()).toEqual(
      [a.sender.peerId, a.receiver.peerId].sort(),
    )
    for (const peer of listed.peers) expect(peer.producers).toEqual([])
    expect(
      await node.rpc('resumeConsumer', {
        roomId: roomA,
        peerId: a.receiver.peerId,
        consumerId: a.media.audio.id,
      }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' })

    // Clients reconnect their media as web tells them to on room-reset, and it flows again.
    a.sender.dropTransports()
    a.receiver.dropTransports()
    await a.connect()
    console.info(
      `room A media flowing again ${(performance.now() - killedAt).toFixed(0)} ms after the kill (incl. client reconnect)`,
    )

    await waitUntil(async () => (await node.workerRouters()).length === 2, {
      description: 'the killed worker replaced',
      timeoutMs: 5_000,
    })
    const metrics = await node.metrics()
    expect(metrics.get('vstrecha_media_worker_restarts_total')).toBe(1)
    expect(metrics.get('vstrecha_media_rooms')).toBe(2)
    expect(metrics.get('vstrecha_media_routers')).toBe(2)
    expect(metrics.get('vstrecha_media_producers')).toBe(4)
    expect(metrics.get('vstrecha_media_consumers')).toBe(4)
    expect(node.proc.isRunning()).toBe(true)
  })
})

describe('the room registry (in process, one real mediasoup worker)', () => {
  async function startRegistry(emptyRoomGraceMs: number) {
    const log = createLogger({ name: 'rooms-test', level: 'silent' })
    const rtcMinPort = 30_000 + Math.floor(Math.random() * 50) * 100
    const pool: WorkerPool = await createWorkerPool({
      workerBin: WORKER_BIN!,
      count: 1,
      rtcMinPort,
      rtcMaxPort: rtcMinPort + 99,
      log,
    })
    const published: MediaEvent[] = []
    const rooms = new RoomRegistry({
      pool,
      listenIps: [{ ip: '127.0.0.1' }],
      publish: (event) => published.push(event),
      log,
      emptyRoomGraceMs,
    })
    cleanups.push(async () => {
      rooms.closeAll()
      await pool.close()
    })
    return { pool, rooms, published }
  }

  const join = (rooms: RoomRegistry, roomId: string, peerId: string) =>
    rooms.joinRoom({ roomId, peerId, userId: peerId, displayName: peerId, role: 'participant' })

  it('keeps an empty room for the grace period, so a returning peer finds it, then closes it', async () => {
    const { pool, rooms } = await startRegistry(400)
    await join(rooms, 'r1', 'p1')
    const room = await rooms.getRoom('r1')

    await rooms.leaveRoom({ roomId: 'r1', peerId: 'p1' })
    await sleep(200)
    expect(rooms.stats()).toEqual({ rooms: 1, peers: 0 })
    await join(rooms, 'r1', 'p1')
    expect(await rooms.getRoom('r1')).toBe(room)
    // The rejoin cancelled the countdown.
    await sleep(600)
    expect(room.isClosed).toBe(false)

    await rooms.leaveRoom({ roomId: 'r1', peerId: 'p1' })
    await waitUntil(() => room.isClosed, {
      description: 'the empty room to close',
      timeoutMs: 2_000,
    })
    expect(rooms.stats()).toEqual({ rooms: 0, peers: 0 })
    expect(pool.totals().routers).toBe(0)
    await expect(rooms.getRoom('r1')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await rooms.closeRoom('r1')

    // The next join starts a fresh room.
    await join(rooms, 'r1', 'p2')
    expect(await rooms.getRoom('r1')).not.toBe(room)
    expect(pool.totals().routers).toBe(1)
  })

  it('with its only worker dead, rebuilds the room once the replacement is up', async () => {
    const { pool, rooms, published } = await startRegistry(30_000)
    await join(rooms, 'r1', 'p1')
    const room = await rooms.getRoom('r1')
    const [worker] = pool.workers()
    process.kill(worker!.pid!, 'SIGKILL')

    await waitUntil(() => published.some((event) => event.type === 'room-reset'), {
      description: 'room-reset',
      timeoutMs: 5_000,
    })
    expect(published).toEqual([{ type: 'room-reset', roomId: 'r1' }])
    expect(await rooms.getRoom('r1')).toBe(room)
    expect(room.isMediaBroken).toBe(false)
    expect(room.workerPid).not.toBe(worker!.pid)
    expect(rooms.stats()).toEqual({ rooms: 1, peers: 1 })
    // The rebuilt router serves new transports.
    const transport = await room.createTransport({
      peerId: 'p1',
      direction: 'recv',
      enableSctp: false,
    })
    expect(transport.id).toEqual(expect.any(String))
  })
})
