// The media-node's internal RPC as web uses it: a real media-node process (2 mediasoup workers),
// signed HTTP calls, events on Redis, and real WebRTC peers (msc-node/werift) sending and receiving
// RTP through mediasoup.
import { randomBytes } from 'node:crypto'
import { request as httpRequest } from 'node:http'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { signMediaRpcRequest } from '#core/media-rpc-auth.ts'
import {
  MEDIA_RPC_MAX_SKEW_MS,
  MEDIA_RPC_SIGNATURE_HEADER,
  type MediaRpcMethod,
  type MediaRpcRequest,
} from '#core/protocol/media-rpc.ts'
import { createRedis } from '#core/redis.ts'
import {
  createMediaPeer,
  sleep,
  startMediaNodeProcess,
  subscribeMediaEvents,
  waitForGrowth,
  type MediaEventLog,
  type MediaNodeProcess,
  type MediaPeer,
} from '../fixtures/media-node.ts'

const WORKER_BIN = process.env.MEDIASOUP_WORKER_BIN
const REDIS_URL = process.env.REDIS_URL

let node: MediaNodeProcess
let events: MediaEventLog
const peers: MediaPeer[] = []
const roomIds = new Set<string>()

beforeAll(async () => {
  if (!WORKER_BIN || !REDIS_URL) {
    throw new Error(
      'MEDIASOUP_WORKER_BIN and REDIS_URL must be set (the test runner script does this)',
    )
  }
  node = await startMediaNodeProcess({ redisUrl: REDIS_URL, workerBin: WORKER_BIN, workers: 2 })
  events = await subscribeMediaEvents(REDIS_URL, node.prefix)
  return async () => {
    events.close()
    await node.stop()
    const redis = createRedis(REDIS_URL)
    const keys = await redis.keys(`${node.prefix}*`)
    if (keys.length > 0) await redis.del(...keys)
    redis.disconnect()
  }
})

beforeEach(({ onTestFailed }) => {
  onTestFailed(() =>
    console.error(`--- media-node output ---\n${node.proc.output().slice(-20_000)}`),
  )
})

// Each test makes its own rooms and closes them, so router counts are the test's own.
afterEach(async () => {
  for (const peer of peers.splice(0)) peer.close()
  for (const roomId of roomIds) await node.call('closeRoom', { roomId })
  roomIds.clear()
})

const uniqueId = (label: string) => `${label}-${randomBytes(4).toString('hex')}`

function peerIn(roomId: string, label: string): MediaPeer {
  const peer = createMediaPeer({ node, roomId, peerId: uniqueId(label) })
  peers.push(peer)
  roomIds.add(roomId)
  return peer
}

/** Alice sends microphone + camera, Bob receives both with resumed consumers and packets flowing. */
async function setUpCall(roomId: string) {
  const alice = peerIn(roomId, 'alice')
  const bob = peerIn(roomId, 'bob')
  await alice.join()
  const mic = await alice.produce('microphone')
  const cam = await alice.produce('camera')
  await bob.join()
  const audio = await bob.consume(mic.producerId)
  const video = await bob.consume(cam.producerId)
  for (const consumer of [audio, video]) {
    await node.call('resumeConsumer', { roomId, peerId: bob.peerId, consumerId: consumer.id })
  }
  await waitForGrowth('audio packets at bob', audio.packets, 10)
  await waitForGrowth('video packets at bob', video.packets, 10)
  return { alice, bob, mic, cam, audio, video }
}

const gauge = async (name: string) => (await node.metrics()).get(`vstrecha_media_${name}`)

describe('media RPC: the door', () => {
  it('refuses missing, wrong and stale signatures with 401 before running anything', async () => {
    const roomId = uniqueId('room')
    roomIds.add(roomId)
    const body = JSON.stringify({
      roomId,
      peerId: 'peer-1',
      userId: 'user-1',
      displayName: 'Ann',
      role: 'participant',
    })
    const secret = node.secret
    const routersBefore = await gauge('routers')
    const cases: Array<[string, Record<string, string>]> = [
      ['no headers', {}],
      [
        'another secret',
        signMediaRpcRequest({ secret: `${secret}-other`, method: 'joinRoom', body }),
      ],
      ['another method', signMediaRpcRequest({ secret, method: 'closeRoom', body })],
      [
        'another body',
        signMediaRpcRequest({ secret, method: 'joinRoom', body: body.replace('Ann', 'Bob') }),
      ],
      [
        'a timestamp older than the allowed skew',
        signMediaRpcRequest({
          secret,
          method: 'joinRoom',
          body,
          now: Date.now() - MEDIA_RPC_MAX_SKEW_MS - 1_000,
        }),
      ],
      [
        'a timestamp from the future',
        signMediaRpcRequest({
          secret,
          method: 'joinRoom',
          body,
          now: Date.now() + MEDIA_RPC_MAX_SKEW_MS + 1_000,
        }),
      ],
      [
        'a garbled signature',
        {
          ...signMediaRpcRequest({ secret, method: 'joinRoom', body }),
          [MEDIA_RPC_SIGNATURE_HEADER]: 'zz',
        },
      ],
    ]
    for (const [label, headers] of cases) {
      const answer = await node.post('/rpc/joinRoom', body, headers)
      expect(answer.status, label).toBe(401)
      expect(answer.body, label).toEqual({
        ok: false,
        code: 'UNAUTHORIZED',
        message: 'unauthorized',
      })
    }
    // Unauthenticated callers cannot even learn which methods exist.
    expect((await node.post('/rpc/noSuchMethod', body)).status).toBe(401)
    expect(await gauge('routers')).toBe(routersBefore)

    const signed = await node.post(
      '/rpc/joinRoom',
      body,
      signMediaRpcRequest({ secret, method: 'joinRoom', body }),
    )
    expect(signed).toMatchObject({ status: 200, body: { ok: true } })
    expect(await gauge('routers')).toBe(routersBefore! + 1)
  })

  it('answers malformed bodies with BAD_REQUEST acks, unknown methods with 404, big bodies with 413', async () => {
    const roomId = uniqueId('room')
    const signedPost = (method: string, body: string) =>
      node.post(`/rpc/${method}`, body, signMediaRpcRequest({ secret: node.secret, method, body }))
    const join = { roomId, peerId: 'p1', userId: 'u1', displayName: 'Ann', role: 'participant' }
    const malformed: Array<[MediaRpcMethod, string]> = [
      ['joinRoom', ''],
      ['joinRoom', 'not json'],
      ['joinRoom', 'null'],
      ['joinRoom', '[]'],
      ['joinRoom', JSON.stringify({ ...join, roomId: 5 })],
      ['joinRoom', JSON.stringify({ ...join, roomId: '../../etc' })],
      ['joinRoom', JSON.stringify({ ...join, displayName: 'x'.repeat(81) })],
      ['createWebRtcTransport', JSON.stringify({ roomId, peerId: 'p1', direction: 'sideways' })],
      [
        'connectTransport',
        JSON.stringify({ roomId, peerId: 'p1', transportId: 't', dtlsParameters: {} }),
      ],
      [
        'produce',
        JSON.stringify({
          roomId,
          peerId: 'p1',
          transportId: 't',
          kind: 'smell',
          source: 'camera',
          rtpParameters: { codecs: [{}] },
        }),
      ],
      [
        'produce',
        JSON.stringify({
          roomId,
          peerId: 'p1',
          transportId: 't',
          kind: 'audio',
          source: 'microphone',
          rtpParameters: { codecs: [] },
        }),
      ],
      [
        'consume',
        JSON.stringify({ roomId, peerId: 'p1', producerId: 'x', rtpCapabilities: 'all' }),
      ],
      [
        'setConsumerPreferredLayers',
        JSON.stringify({ roomId, peerId: 'p1', consumerId: 'c', spatialLayer: 9 }),
      ],
    ]
    for (const [method, body] of malformed) {
      const answer = await signedPost(method, body)
      expect(answer.status, `${method} ${body}`).toBe(200)
      expect(answer.body, `${method} ${body}`).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    }

    for (const method of ['noSuchMethod', '__proto__', 'toString', 'joinRoom/extra']) {
      const answer = await signedPost(method, JSON.stringify(join))
      expect(answer.status, method).toBe(404)
      expect(answer.body, method).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    }
    expect((await fetch(`${node.baseUrl}/rpc/joinRoom`)).status).toBe(405)

    const huge = JSON.stringify({ ...join, padding: 'x'.repeat(300 * 1024) })
    expect((await signedPost('joinRoom', huge)).status).toBe(413)
    // Without a content-length the limit applies while reading.
    expect(await postChunked(`${node.baseUrl}/rpc/joinRoom`, huge)).toBe(413)

    // A room this node does not have, and a peer that never joined, look the same: NOT_FOUND.
    expect(
      await node.rpc('createWebRtcTransport', { roomId, peerId: 'p1', direction: 'send' }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    })
    // Leaving and closing are idempotent.
    expect(await node.rpc('leaveRoom', { roomId, peerId: 'p1' })).toEqual({ ok: true, data: {} })
    expect(await node.rpc('closeRoom', { roomId })).toEqual({ ok: true, data: {} })

    const health = await fetch(`${node.baseUrl}/health`)
    expect(health.status).toBe(200)
    expect(node.proc.isRunning()).toBe(true)
  })
})

describe('media RPC: media between real WebRTC peers', () => {
  it('carries audio and video from one peer to another; consumers start paused', async () => {
    const roomId = uniqueId('room')
    const before = await node.metrics()
    const alice = peerIn(roomId, 'alice')
    const bob = peerIn(roomId, 'bob')
    await alice.join()
    const mic = await alice.produce('microphone')
    const cam = await alice.produce('camera')

    const joined = await bob.join()
    expect(joined.peers).toEqual([
      expect.objectContaining({
        peerId: alice.peerId,
        displayName: `Peer ${alice.peerId}`,
        producers: expect.arrayContaining([
          { id: mic.producerId, kind: 'audio', source: 'microphone', paused: false },
          { id: cam.producerId, kind: 'video', source: 'camera', paused: false },
        ]),
      }),
    ])

    const audio = await bob.consume(mic.producerId)
    const video = await bob.consume(cam.producerId)
    expect(audio).toMatchObject({ kind: 'audio', type: 'simple', producerPaused: false })
    expect(video).toMatchObject({ kind: 'video', type: 'simple', producerPaused: false })
    await sleep(600)
    expect(audio.packets(), 'a paused consumer forwards nothing').toBe(0)
    expect(video.packets(), 'a paused consumer forwards nothing').toBe(0)

    for (const consumer of [audio, video]) {
      expect(
        await node.rpc('resumeConsumer', { roomId, peerId: bob.peerId, consumerId: consumer.id }),
      ).toEqual({
        ok: true,
        data: {},
      })
    }
    await waitForGrowth('audio packets at bob', audio.packets, 25)
    await waitForGrowth('video packets at bob', video.packets, 25)

    // Asked again (a retry after an answer that came too late), the node hands back the same one.
    const again = await node.call('consume', {
      roomId,
      peerId: bob.peerId,
      producerId: mic.producerId,
      rtpCapabilities: joined.rtpCapabilities as MediaRpcRequest<'consume'>['rtpCapabilities'],
    })
    expect(again).toMatchObject({ id: audio.id, producerId: mic.producerId, kind: 'audio' })

    const after = await node.metrics()
    const delta = (name: string) =>
      after.get(`vstrecha_media_${name}`)! - before.get(`vstrecha_media_${name}`)!
    // Transports: the two peers' WebRTC ones and the room's DirectTransport (the chat's server side).
    expect({
      rooms: delta('rooms'),
      peers: delta('peers'),
      routers: delta('routers'),
      transports: delta('transports'),
      producers: delta('producers'),
      consumers: delta('consumers'),
    }).toEqual({ rooms: 1, peers: 2, routers: 1, transports: 3, producers: 2, consumers: 2 })

    // The owner can tune its consumer and restart ICE; a simple consumer accepts layers as a no-op.
    expect(
      await node.rpc('setConsumerPreferredLayers', {
        roomId,
        peerId: bob.peerId,
        consumerId: video.id,
        spatialLayer: 0,
        temporalLayer: 0,
      }),
    ).toEqual({ ok: true, data: {} })
    const transportId = (
      await node.call('createWebRtcTransport', { roomId, peerId: bob.peerId, direction: 'recv' })
    ).id
    const restarted = await node.call('restartIce', { roomId, peerId: bob.peerId, transportId })
    expect(restarted.iceParameters).toMatchObject({ usernameFragment: expect.any(String) })
  })

  it('reports who speaks: audio levels at most every 800 ms, and the active speaker', async () => {
    const roomId = uniqueId('room')
    const { alice } = await setUpCall(roomId)
    const speaking = await events.waitFor(
      'audio levels naming alice',
      (event) =>
        event.type === 'audio-levels' &&
        event.roomId === roomId &&
        event.levels.some((level) => level.peerId === alice.peerId && level.volume > -70),
    )
    await events.waitFor(
      'alice as active speaker',
      (event) =>
        event.type === 'active-speaker' && event.roomId === roomId && event.peerId === alice.peerId,
    )
    await sleep(4_000)
    const times = events.events
      .filter((event) => event.type === 'audio-levels' && event.roomId === roomId)
      .map((event) => event.receivedAt)
      .filter((at) => at >= speaking.receivedAt)
    const gaps = times.slice(1).map((at, i) => at - times[i]!)
    console.info(`audio-levels gaps (ms): ${gaps.map((gap) => gap.toFixed(0)).join(', ')}`)
    expect(times.length).toBeGreaterThanOrEqual(4)
    // 800 ms apart at the worker; delivery through Redis and busy event loops (2 shared cores)
    // jitters single gaps either way, but bursts would pull the mean down.
    const meanGap = gaps.reduce((sum, gap) => sum + gap, 0) / gaps.length
    expect(meanGap).toBeGreaterThanOrEqual(750)
    for (const gap of gaps) expect(gap).toBeGreaterThan(400)
  })

  it('propagates producer pause and resume to consumers as events', async () => {
    const roomId = uniqueId('room')
    const { alice, bob, cam, audio, video } = await setUpCall(roomId)

    await node.call('pauseProducer', { roomId, peerId: alice.peerId, producerId: cam.producerId })
    await events.waitFor(
      'consumer-paused for bob',
      (event) =>
        event.type === 'consumer-paused' &&
        event.consumerId === video.id &&
        event.peerId === bob.peerId,
    )
    // Packets already on their way may still land; after that nothing comes.
    await sleep(400)
    const frozenAt = video.packets()
    await sleep(600)
    expect(video.packets(), 'no video while the producer is paused').toBe(frozenAt)
    await waitForGrowth('audio keeps flowing', audio.packets, 10)
    const listed = await node.call('joinRoom', {
      roomId,
      peerId: uniqueId('carol'),
      userId: 'carol',
      displayName: 'Carol',
      role: 'participant',
    })
    expect(listed.peers.find((peer) => peer.peerId === alice.peerId)?.producers).toContainEqual(
      expect.objectContaining({ id: cam.producerId, paused: true }),
    )

    await node.call('resumeProducer', { roomId, peerId: alice.peerId, producerId: cam.producerId })
    await events.waitFor(
      'consumer-resumed for bob',
      (event) =>
        event.type === 'consumer-resumed' &&
        event.consumerId === video.id &&
        event.peerId === bob.peerId,
    )
    await waitForGrowth('video flows again', video.packets, 10)
  })

  it("does not let a peer of another room touch room A's transports, producers or consumers", async () => {
    const roomA = uniqueId('room-a')
    const roomB = uniqueId('room-b')
    const { alice, bob, mic, cam, audio, video } = await setUpCall(roomA)
    const mallory = peerIn(roomB, 'mallory')
    await mallory.join()
    const malloryTransport = await node.call('createWebRtcTransport', {
      roomId: roomB,
      peerId: mallory.peerId,
      direction: 'send',
    })
    const aliceTransport = await node.call('createWebRtcTransport', {
      roomId: roomA,
      peerId: alice.peerId,
      direction: 'send',
    })
    const dtlsParameters = {
      role: 'client' as const,
      fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }],
    }
    const rtpParameters = {
      codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2 }],
    }
    const rtpCapabilities = {
      codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
    }

    const attempts: Array<[string, () => Promise<unknown>]> = []
    // Mallory names her own room but room A's ids…
    for (const [label, roomId, peerId] of [
      ['mallory in room B', roomB, mallory.peerId],
      // …or names room A with her peer id, which never joined it…
      ['mallory claiming room A', roomA, mallory.peerId],
      // …and inside room A, bob cannot reach alice's objects either.
      ['bob on alice’s objects', roomA, bob.peerId],
    ] as const) {
      attempts.push(
        [
          `${label}: connectTransport`,
          () =>
            node.rpc('connectTransport', {
              roomId,
              peerId,
              transportId: aliceTransport.id,
              dtlsParameters,
            }),
        ],
        [
          `${label}: restartIce`,
          () => node.rpc('restartIce', { roomId, peerId, transportId: aliceTransport.id }),
        ],
        [
          `${label}: produce`,
          () =>
            node.rpc('produce', {
              roomId,
              peerId,
              transportId: aliceTransport.id,
              kind: 'audio',
              source: 'microphone',
              rtpParameters,
            }),
        ],
        [
          `${label}: pauseProducer`,
          () => node.rpc('pauseProducer', { roomId, peerId, producerId: cam.producerId }),
        ],
        [
          `${label}: resumeProducer`,
          () => node.rpc('resumeProducer', { roomId, peerId, producerId: cam.producerId }),
        ],
        [
          `${label}: closeProducer`,
          () => node.rpc('closeProducer', { roomId, peerId, producerId: mic.producerId }),
        ],
      )
      if (peerId !== bob.peerId) {
        attempts.push(
          [
            `${label}: pauseConsumer`,
            () => node.rpc('pauseConsumer', { roomId, peerId, consumerId: video.id }),
          ],
          [
            `${label}: resumeConsumer`,
            () => node.rpc('resumeConsumer', { roomId, peerId, consumerId: audio.id }),
          ],
          [
            `${label}: setConsumerPreferredLayers`,
            () =>
              node.rpc('setConsumerPreferredLayers', {
                roomId,
                peerId,
                consumerId: video.id,
                spatialLayer: 0,
              }),
          ],
        )
      }
    }
    attempts.push([
      'mallory consuming room A’s producer from room B',
      () =>
        node.rpc('consume', {
          roomId: roomB,
          peerId: mallory.peerId,
          producerId: mic.producerId,
          rtpCapabilities,
        }),
    ])
    attempts.push([
      'alice using mallory’s transport',
      () =>
        node.rpc('connectTransport', {
          roomId: roomA,
          peerId: alice.peerId,
          transportId: malloryTransport.id,
          dtlsParameters,
        }),
    ])
    for (const [label, attempt] of attempts) {
      expect(await attempt(), label).toMatchObject({ ok: false, code: 'NOT_FOUND' })
    }

    // Room A did not notice: nothing paused or closed, media still flows.
    expect(
      events.events.filter(
        (event) =>
          event.roomId === roomA &&
          event.type !== 'audio-levels' &&
          event.type !== 'active-speaker',
      ),
    ).toEqual([])
    await waitForGrowth('audio still flows in room A', audio.packets, 10)
    await waitForGrowth('video still flows in room A', video.packets, 10)
    const listed = await node.call('joinRoom', {
      roomId: roomA,
      peerId: uniqueId('carol'),
      userId: 'carol',
      displayName: 'Carol',
      role: 'participant',
    })
    expect(listed.peers.find((peer) => peer.peerId === alice.peerId)?.producers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: mic.producerId, paused: false }),
        expect.objectContaining({ id: cam.producerId, paused: false }),
      ]),
    )
  })

  it('on leaveRoom closes the peer’s media and tells the others which producers closed', async () => {
    const roomId = uniqueId('room')
    const { alice, bob, mic, cam, audio, video } = await setUpCall(roomId)
    const before = await node.metrics()

    expect(await node.rpc('leaveRoom', { roomId, peerId: alice.peerId })).toEqual({
      ok: true,
      data: {},
    })
    for (const producerId of [mic.producerId, cam.producerId]) {
      await events.waitFor(
        `producer-closed ${producerId}`,
        (event) =>
          event.type === 'producer-closed' &&
          event.producerId === producerId &&
          event.peerId === alice.peerId,
      )
    }
    for (const consumerId of [audio.id, video.id]) {
      await events.waitFor(
        `consumer-closed ${consumerId} for bob`,
        (event) =>
          event.type === 'consumer-closed' &&
          event.consumerId === consumerId &&
          event.peerId === bob.peerId,
      )
    }
    const after = await node.metrics()
    expect(after.get('vstrecha_media_producers')).toBe(before.get('vstrecha_media_producers')! - 2)
    expect(after.get('vstrecha_media_consumers')).toBe(before.get('vstrecha_media_consumers')! - 2)
    expect(after.get('vstrecha_media_peers')).toBe(before.get('vstrecha_media_peers')! - 1)
    // Bob is still there, so the room (and its router) stays.
    expect(after.get('vstrecha_media_routers')).toBe(before.get('vstrecha_media_routers'))
    const closedEvents = events.events.filter(
      (event) => event.type === 'producer-closed' && event.roomId === roomId,
    )
    expect(closedEvents, 'one producer-closed per producer').toHaveLength(2)

    // A second leave is harmless and tells nobody anything new.
    expect(await node.rpc('leaveRoom', { roomId, peerId: alice.peerId })).toEqual({
      ok: true,
      data: {},
    })
    await sleep(200)
    expect(
      events.events.filter((event) => event.type === 'producer-closed' && event.roomId === roomId),
    ).toHaveLength(2)
  })

  it('creates exactly one router when many peers join a new room at once', async () => {
    const roomId = uniqueId('room')
    roomIds.add(roomId)
    const before = await node.metrics()
    const peerIds = Array.from({ length: 8 }, (_, i) => `peer-${i}`)
    const answers = await Promise.all(
      peerIds.map((peerId) =>
        node.rpc('joinRoom', {
          roomId,
          peerId,
          userId: peerId,
          displayName: peerId,
          role: 'participant',
        }),
      ),
    )
    for (const answer of answers) expect(answer.ok).toBe(true)
    const after = await node.metrics()
    expect(after.get('vstrecha_media_routers')! - before.get('vstrecha_media_routers')!).toBe(1)
    expect(after.get('vstrecha_media_rooms')! - before.get('vstrecha_media_rooms')!).toBe(1)
    expect(after.get('vstrecha_media_peers')! - before.get('vstrecha_media_peers')!).toBe(8)
    const last = await node.call('joinRoom', {
      roomId,
      peerId: 'peer-late',
      userId: 'late',
      displayName: 'Late',
      role: 'participant',
    })
    expect(last.peers.map((peer) => peer.peerId).sort()).toEqual(peerIds)
  })

  it('refuses what mediasoup or the room rules cannot take, with the right codes', async () => {
    const roomId = uniqueId('room')
    const { alice, bob, mic } = await setUpCall(roomId)
    const aliceSend = await node.call('createWebRtcTransport', {
      roomId,
      peerId: alice.peerId,
      direction: 'send',
    })
    const aliceRecv = await node.call('createWebRtcTransport', {
      roomId,
      peerId: alice.peerId,
      direction: 'recv',
    })
    const opus = { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }
    const produce = (overrides: Record<string, unknown>) =>
      node.rpc('produce', {
        roomId,
        peerId: alice.peerId,
        transportId: aliceSend.id,
        kind: 'audio',
        source: 'screen-audio',
        rtpParameters: { codecs: [opus], encodings: [{ ssrc: 1111 }] },
        ...overrides,
      })
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      ['a second microphone', () => produce({ source: 'microphone' }), 'CONFLICT'],
      [
        'video from a microphone',
        () => produce({ kind: 'video', source: 'microphone' }),
        'BAD_REQUEST',
      ],
      [
        'producing on a recv transport',
        () => produce({ transportId: aliceRecv.id }),
        'BAD_REQUEST',
      ],
      [
        'a codec entry mediasoup rejects',
        () => produce({ rtpParameters: { codecs: [{ mimeType: 'audio/opus' }] } }),
        'BAD_REQUEST',
      ],
      [
        'a codec the router does not have',
        () =>
          produce({
            rtpParameters: {
              codecs: [{ mimeType: 'audio/G722', payloadType: 9, clockRate: 8000 }],
            },
          }),
        'BAD_REQUEST',
      ],
      [
        'consuming its own producer',
        () =>
          node.rpc('consume', {
            roomId,
            peerId: alice.peerId,
            producerId: mic.producerId,
            rtpCapabilities: {
              codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
            },
          }),
        'BAD_REQUEST',
      ],
      [
        'capabilities that cannot receive it',
        () =>
          node.rpc('consume', {
            roomId,
            peerId: bob.peerId,
            producerId: mic.producerId,
            rtpCapabilities: {
              codecs: [{ kind: 'audio', mimeType: 'audio/PCMU', clockRate: 8000 }],
            },
          }),
        'BAD_REQUEST',
      ],
      [
        'a producer that does not exist',
        () =>
          node.rpc('consume', {
            roomId,
            peerId: bob.peerId,
            producerId: 'no-such-producer',
            rtpCapabilities: {},
          }),
        'NOT_FOUND',
      ],
    ]
    for (const [label, attempt, code] of cases) {
      expect(await attempt(), label).toMatchObject({ ok: false, code })
    }

    // Consuming before having a recv transport is a client ordering mistake.
    const carol = peerIn(roomId, 'carol')
    await carol.join()
    expect(
      await node.rpc('consume', {
        roomId,
        peerId: carol.peerId,
        producerId: mic.producerId,
        rtpCapabilities: {
          codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }],
        },
      }),
    ).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/recv transport/),
    })

    // A valid second producer for another source works, and closing it tells the room.
    const screenAudio = await produce({})
    expect(screenAudio).toMatchObject({ ok: true })
    const producerId = (screenAudio as { data: { producerId: string } }).data.producerId
    expect(await node.rpc('closeProducer', { roomId, peerId: alice.peerId, producerId })).toEqual({
      ok: true,
      data: {},
    })
    await events.waitFor(
      'producer-closed after closeProducer',
      (event) => event.type === 'producer-closed' && event.producerId === producerId,
    )
    expect(
      await node.rpc('closeProducer', { roomId, peerId: alice.peerId, producerId }),
    ).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    })
    expect(node.proc.isRunning()).toBe(true)
  })
})

/** POSTs `body` with chunked encoding (no content-length); resolves with the status. */
function postChunked(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      headers: signMediaRpcRequest({
        secret: node.secret,
        method: new URL(url).pathname.split('/').pop()!,
        body,
      }),
    })
    req.on('response', (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    // The server may hang up once it has answered; the status is what counts.
    req.on('error', (error) => (req.writableEnded ? undefined : reject(error)))
    for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.slice(at, at + 64 * 1024))
    req.end()
  })
}
