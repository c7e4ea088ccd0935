// Plain RTP transports of a room (in process, one real mediasoup worker): a recv tap is fed by the
// same consume()/resumeConsumer() path as a client's recv transport, which is how a recorder or an
// ASR process will receive a meeting's media; a send one takes RTP only from its far end.
import { createSocket, type Socket } from 'node:dgram'
import { once } from 'node:events'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '#core/logger.ts'
import type { MediaEvent } from '#core/protocol/media-rpc.ts'
import type { Room, RoomRequest } from '#media-node/room.ts'
import { RoomRegistry } from '#media-node/rooms.ts'
import { createWorkerPool, type WorkerPool } from '#media-node/worker-pool.ts'
import { sleep } from '../fixtures/media-node.ts'
import { waitUntil } from '../fixtures/process.ts'

const WORKER_BIN = process.env.MEDIASOUP_WORKER_BIN
const OPUS_PAYLOAD_TYPE = 111
const SOURCE_SSRC = 0x1234_5678

const cleanups: Array<() => Promise<void> | void> = []

beforeAll(() => {
  if (!WORKER_BIN) {
    throw new Error('MEDIASOUP_WORKER_BIN must be set (the test runner script does this)')
  }
})

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function startRoom(): Promise<{ pool: WorkerPool; room: Room; published: MediaEvent[] }> {
  const log = createLogger({ name: 'plain-transport-test', level: 'silent' })
  const rtcMinPort = 30_000 + Math.floor(Math.random() * 50) * 100
  const pool = await createWorkerPool({
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
  })
  cleanups.push(async () => {
    rooms.closeAll()
    await pool.close()
  })
  for (const peerId of ['source', 'recorder']) {
    await rooms.joinRoom({
      roomId: 'r1',
      peerId,
      userId: peerId,
      displayName: peerId,
      role: 'participant',
    })
  }
  return { pool, room: await rooms.getRoom('r1'), published }
}

type UdpEnd = { socket: Socket; port: number; received: Buffer[] }

async function openUdp(): Promise<UdpEnd> {
  const socket = createSocket('udp4')
  const received: Buffer[] = []
  socket.on('message', (message) => received.push(message))
  socket.bind(0, '127.0.0.1')
  await once(socket, 'listening')
  cleanups.push(() => {
    socket.close()
  })
  return { socket, port: socket.address().port, received }
}

/** A minimal Opus RTP packet: 12-byte header, no extensions. */
function opusPacket(seq: number, ssrc: number): Buffer {
  const packet = Buffer.alloc(12 + 60, 0xaa)
  packet[0] = 0x80
  packet[1] = OPUS_PAYLOAD_TYPE
  packet.writeUInt16BE(seq & 0xffff, 2)
  packet.writeUInt32BE((seq * 960) >>> 0, 4)
  packet.writeUInt32BE(ssrc, 8)
  return packet
}

/** Sends 20 ms Opus packets from `from` to the transport until stopped. */
function sendOpus(from: Socket, to: { ip: string; port: number }, ssrc = SOURCE_SSRC) {
  let seq = 1
  const timer = setInterval(() => from.send(opusPacket(seq++, ssrc), to.port, to.ip), 20)
  const stop = () => clearInterval(timer)
  cleanups.push(stop)
  return stop
}

/** What a recorder would declare: everything the router offers (a rejoin returns them again). */
const rtpCapabilitiesOf = (room: Room) =>
  room.joinPeer({
    peerId: 'recorder',
    userId: 'recorder',
    displayName: 'recorder',
    role: 'participant',
  }).rtpCapabilities as RoomRequest<'consume'>['rtpCapabilities']

const isRtpFrom = (packet: Buffer, ssrc: number) =>
  packet.length >= 12 && packet[1]! < 200 && packet.readUInt32BE(8) === ssrc

/** Peer 'source' sends Opus over a plain RTP transport whose far end is `port`. */
async function produceOpusFrom(room: Room, port: number) {
  const sendTransport = await room.createPlainTransport({
    peerId: 'source',
    direction: 'send',
    remoteIp: '127.0.0.1',
    remotePort: port,
  })
  const { producerId } = await room.produce({
    peerId: 'source',
    transportId: sendTransport.id,
    kind: 'audio',
    source: 'microphone',
    paused: false,
    rtpParameters: {
      codecs: [
        { mimeType: 'audio/opus', payloadType: OPUS_PAYLOAD_TYPE, clockRate: 48000, channels: 2 },
      ],
      encodings: [{ ssrc: SOURCE_SSRC }],
    },
  })
  return { sendTransport, producerId }
}

describe('plain RTP transports of a room', () => {
  it('feeds a recv tap through consume() and resumeConsumer(), from the transport’s own address', async () => {
    const { room } = await startRoom()
    const source = await openUdp()
    const recorder = await openUdp()

    const { sendTransport, producerId } = await produceOpusFrom(room, source.port)
    const tap = await room.createPlainTransport({
      peerId: 'recorder',
      direction: 'recv',
      remoteIp: '127.0.0.1',
      remotePort: recorder.port,
    })
    const consumer = await room.consume({
      peerId: 'recorder',
      producerId,
      rtpCapabilities: rtpCapabilitiesOf(room),
    })
    const consumerSsrc = (consumer.rtpParameters as { encodings: Array<{ ssrc: number }> })
      .encodings[0]!.ssrc

    const stop = sendOpus(source.socket, sendTransport)
    // Consumers start paused, taps included.
    await sleep(300)
    expect(recorder.received).toHaveLength(0)

    await room.resumeConsumer({ peerId: 'recorder', consumerId: consumer.id })
    await waitUntil(
      () => recorder.received.filter((p) => isRtpFrom(p, consumerSsrc)).length >= 10,
      {
        description: 'RTP at the recorder',
      },
    )
    stop()
    const received = recorder.received.filter((p) => isRtpFrom(p, consumerSsrc))
    expect(received[0]!.readUInt8(1) & 0x7f).toBe(
      (consumer.rtpParameters as { codecs: Array<{ payloadType: number }> }).codecs[0]!.payloadType,
    )
    expect(tap.port).not.toBe(sendTransport.port)
  })

  it('takes RTP into a send transport only from the far end it was connected to', async () => {
    const { room } = await startRoom()
    const source = await openUdp()
    const stranger = await openUdp()
    const recorder = await openUdp()
    const { sendTransport, producerId } = await produceOpusFrom(room, source.port)
    await room.createPlainTransport({
      peerId: 'recorder',
      direction: 'recv',
      remoteIp: '127.0.0.1',
      remotePort: recorder.port,
    })
    const consumer = await room.consume({
      peerId: 'recorder',
      producerId,
      rtpCapabilities: rtpCapabilitiesOf(room),
    })
    await room.resumeConsumer({ peerId: 'recorder', consumerId: consumer.id })

    // Same SSRC and payload type, wrong source port: comedia is off, so this is dropped.
    const stop = sendOpus(stranger.socket, sendTransport)
    await sleep(400)
    stop()
    expect(recorder.received).toHaveLength(0)

    sendOpus(source.socket, sendTransport)
    await waitUntil(() => recorder.received.length >= 5, { description: 'RTP from the source' })
  })

  it('refuses WebRTC operations on plain transports and closes taps when their peer leaves', async () => {
    const { pool, room } = await startRoom()
    const recorder = await openUdp()
    const tap = await room.createPlainTransport({
      peerId: 'recorder',
      direction: 'recv',
      remoteIp: '127.0.0.1',
      remotePort: recorder.port,
    })
    await expect(
      room.connectTransport({
        peerId: 'recorder',
        transportId: tap.id,
        dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    await expect(
      room.restartIce({ peerId: 'recorder', transportId: tap.id }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    // A tap is not a send transport.
    await expect(
      room.produce({
        peerId: 'recorder',
        transportId: tap.id,
        kind: 'audio',
        source: 'microphone',
        paused: false,
        rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000 }] },
      }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' })
    // Someone else's peer id does not reach it.
    await expect(room.restartIce({ peerId: 'source', transportId: tap.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    })

    // The tap and the room's own DirectTransport (the chat's server side), which stays.
    expect(pool.totals().transports).toBe(2)
    room.leavePeer('recorder')
    await waitUntil(() => pool.totals().transports === 1, { description: 'the tap to close' })
  })
})
