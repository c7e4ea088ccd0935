// RoomClient against mediasoup-client's real Device with its FakeHandler (no browser, no SFU) and a
// scripted signaling server: what it asks the server, in which order, and what the UI state becomes.
import { Device, FakeHandler, testFakeParameters, type types } from 'mediasoup-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PeerInfo } from '#core/protocol/media-types.ts'
import type {
  ClientEvent,
  ClientEventResults,
  ClientPayload,
  ServerEventPayloads,
} from '#core/protocol/signaling.ts'
import { RoomClient, type MediaAccess, type RoomClientOptions } from './room-client.ts'
import {
  SignalingError,
  type ServerEvent,
  type SignalingConnection,
  type SignalingLinkEvent,
} from './signaling.ts'

class FakeTrack extends EventTarget {
  static next = 0
  readonly id = `track-${++FakeTrack.next}`
  readonly kind: 'audio' | 'video'
  enabled = true
  readyState: 'live' | 'ended' = 'live'
  contentHint = ''
  constructor(kind: 'audio' | 'video') {
    super()
    this.kind = kind
  }
  stop() {
    this.readyState = 'ended'
  }
  /** What the browser does when a device disappears or the user stops sharing. */
  end() {
    this.readyState = 'ended'
    this.dispatchEvent(new Event('ended'))
  }
  clone() {
    return new FakeTrack(this.kind)
  }
  getSettings() {
    return {}
  }
}

const asTrack = (track: FakeTrack) => track as unknown as MediaStreamTrack

function fakeStream(tracks: FakeTrack[]): MediaStream {
  return {
    getTracks: () => tracks.map(asTrack),
    getAudioTracks: () => tracks.filter((t) => t.kind === 'audio').map(asTrack),
    getVideoTracks: () => tracks.filter((t) => t.kind === 'video').map(asTrack),
  } as unknown as MediaStream
}

type Responder<E extends ClientEvent> = (
  payload: ClientPayload<E>,
) => ClientEventResults[E] | Promise<ClientEventResults[E]>

/** A scripted signaling server: answers requests, records them, pushes events. */
class FakeSignaling implements SignalingConnection {
  isConnected = false
  readonly requests: { event: ClientEvent; payload: unknown }[] = []
  private readonly handlers = new Map<string, ((payload: never) => void)[]>()
  private readonly linkHandlers: ((event: SignalingLinkEvent) => void)[] = []
  private readonly responders = new Map<ClientEvent, Responder<never>>()
  private nextId = 0
  peers: PeerInfo[] = []
  peerId = 'me'
  joinError: string | null = null

  constructor() {
    this.respond('media:join', () => {
      if (this.joinError) throw new SignalingError(this.joinError, 'refused')
      return {
        peerId: this.peerId,
        routerRtpCapabilities: testFakeParameters.generateRouterRtpCapabilities(),
        peers: this.peers,
      }
    })
    this.respond('media:createTransport', () => {
      const params = testFakeParameters.generateTransportRemoteParameters()
      return { ...params, id: `transport-${++this.nextId}` }
    })
    this.respond('media:connectTransport', () => ({}))
    this.respond('media:produce', () => ({ producerId: `producer-${++this.nextId}` }))
    this.respond('media:consume', ({ producerId }) => {
      const producer = this.peers.flatMap((p) => p.producers).find((p) => p.id === producerId)
      const kind = producer?.kind ?? 'audio'
      const params = testFakeParameters.generateConsumerRemoteParameters({
        codecMimeType: kind === 'audio' ? 'audio/opus' : 'video/VP8',
      })
      return {
        id: `consumer-of-${producerId}-${++this.nextId}`,
        producerId,
        kind,
        rtpParameters: params.rtpParameters,
        type: kind === 'video' ? 'simulcast' : 'simple',
        producerPaused: producer?.paused ?? false,
      }
    })
    for (const event of [
      'media:resumeConsumer',
      'media:pauseConsumer',
      'media:setPreferredLayers',
      'media:pauseProducer',
      'media:resumeProducer',
      'media:closeProducer',
      'media:leave',
      'meeting:end',
    ] as const) {
      this.respond(event, () => ({}))
    }
    this.respond('media:restartIce', () => ({
      iceParameters: testFakeParameters.generateTransportRemoteParameters().iceParameters,
    }))
  }

  respond<E extends ClientEvent>(event: E, responder: Responder<E>) {
    this.responders.set(event, responder as Responder<never>)
  }
  responderOf<E extends ClientEvent>(event: E): Responder<E> {
    return this.responders.get(event) as Responder<E>
  }

  async request<E extends ClientEvent>(event: E, payload: ClientPayload<E>) {
    this.requests.push({ event, payload })
    if (!this.isConnected) throw new SignalingError('DISCONNECTED', event)
    const responder = this.responders.get(event) as Responder<E> | undefined
    if (!responder) throw new SignalingError('NOT_FOUND', event)
    await Promise.resolve()
    return responder(payload)
  }

  on<E extends ServerEvent>(event: E, handler: (payload: ServerEventPayloads[E]) => void) {
    const list = this.handlers.get(event) ?? []
    list.push(handler as (payload: never) => void)
    this.handlers.set(event, list)
  }
  onLink(handler: (event: SignalingLinkEvent) => void) {
    this.linkHandlers.push(handler)
  }
  connect() {
    this.isConnected = true
    for (const handler of this.linkHandlers) handler({ type: 'connected' })
  }
  drop() {
    this.isConnected = false
    for (const handler of this.linkHandlers) handler({ type: 'disconnected', willReconnect: true })
  }
  close() {
    this.isConnected = false
  }
  emit<E extends ServerEvent>(event: E, payload: ServerEventPayloads[E]) {
    for (const handler of this.handlers.get(event) ?? [])
      (handler as (p: typeof payload) => void)(payload)
  }
  sent<E extends ClientEvent>(event: E): ClientPayload<E>[] {
    return this.requests.filter((r) => r.event === event).map((r) => r.payload as ClientPayload<E>)
  }
  clear() {
    this.requests.length = 0
  }
}

function setup(
  options: {
    isMicOn?: boolean
    isCameraOn?: boolean
    peers?: PeerInfo[]
    forecastVideos?: RoomClientOptions['forecastVideos']
  } = {},
) {
  const signaling = new FakeSignaling()
  signaling.peers = options.peers ?? []
  const transports: types.Transport[] = []
  const opened: FakeTrack[] = []
  const media: MediaAccess = {
    getUserMedia: async (constraints) => {
      const tracks = [
        ...(constraints.audio ? [new FakeTrack('audio')] : []),
        ...(constraints.video ? [new FakeTrack('video')] : []),
      ]
      opened.push(...tracks)
      return fakeStream(tracks)
    },
    getDisplayMedia: async () => {
      const tracks = [new FakeTrack('video'), new FakeTrack('audio')]
      opened.push(...tracks)
      return fakeStream(tracks)
    },
  }
  const errors: string[] = []
  const client = new RoomClient({
    inviteCode: 'A'.repeat(24),
    signaling,
    media,
    initial: { isMicOn: options.isMicOn ?? true, isCameraOn: options.isCameraOn ?? true },
    createDevice: async () => {
      const device = new Device({
        handlerFactory: FakeHandler.createFactory(testFakeParameters),
      })
      device.observer.on('newtransport', (transport) => transports.push(transport))
      return device
    },
    onError: (message) => errors.push(message),
    forecastVideos: options.forecastVideos,
  })
  return { client, signaling, transports, opened, errors }
}

/** A remote peer called `displayName`, its producers named after it ('Anna' → anna-mic, anna-cam). */
function remotePeer(displayName: string, sources: ('microphone' | 'camera')[]): PeerInfo {
  const id = displayName.toLowerCase()
  return {
    peerId: id,
    userId: `user-${id}`,
    displayName,
    role: 'participant',
    producers: sources.map((source) =>
      source === 'microphone'
        ? { id: `${id}-mic`, kind: 'audio', source, paused: false }
        : { id: `${id}-cam`, kind: 'video', source, paused: false },
    ),
  }
}

const anna = remotePeer('Anna', ['microphone', 'camera'])
const boris = remotePeer('Boris', ['camera'])
const carl = remotePeer('Carl', ['microphone', 'camera'])

/** A forecast of the first screen showing these cameras, each at the middle simulcast layer. */
const forecastAtMiddleLayer =
  (...producerIds: string[]): RoomClientOptions['forecastVideos'] =>
  () =>
    new Map(producerIds.map((producerId) => [producerId, 1]))

let current: RoomClient | undefined
afterEach(() => {
  current?.dispose()
  current = undefined
})

async function joined(options: Parameters<typeof setup>[0] = {}) {
  const context = setup(options)
  current = context.client
  context.client.start()
  await vi.waitFor(() => expect(context.client.getSnapshot().connectionState).toBe('connected'))
  return context
}

describe('RoomClient', () => {
  it('joins, produces microphone (opus DTX) and camera (3 simulcast layers), and reports connected', async () => {
    const { client, signaling } = await joined()
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(2))
    const [mic, camera] = signaling.sent('media:produce')
    expect(mic).toMatchObject({ kind: 'audio', source: 'microphone', paused: false })
    expect(camera).toMatchObject({ kind: 'video', source: 'camera', paused: false })
    expect(camera?.rtpParameters.encodings).toHaveLength(3)
    expect(signaling.sent('media:join')).toEqual([{ inviteCode: 'A'.repeat(24) }])
    // Both transports are asked for at join, while the device loads, even with nobody to consume.
    expect(signaling.sent('media:createTransport')).toEqual([
      { direction: 'recv', enableSctp: false },
      { direction: 'send', enableSctp: false },
    ])
    expect(client.getSnapshot()).toMatchObject({
      status: 'joined',
      peerId: 'me',
      local: { isMicOn: true, isCameraOn: true },
    })
  })

  it('produces a muted microphone paused when joining muted', async () => {
    const { client, signaling } = await joined({ isMicOn: false, isCameraOn: false })
    expect(signaling.sent('media:produce')).toEqual([])
    await client.setMicOn(true)
    expect(signaling.sent('media:produce')).toMatchObject([{ source: 'microphone', paused: false }])
    await client.setMicOn(false)
    const producerId = signaling.sent('media:pauseProducer')[0]?.producerId
    expect(producerId).toMatch(/^producer-/)
    await client.setMicOn(true)
    expect(signaling.sent('media:resumeProducer')).toEqual([{ producerId }])
    // Unmuting again reuses the producer.
    expect(signaling.sent('media:produce')).toHaveLength(1)
  })

  it('a refused unmute (a moderator muted us, self-unmute off) keeps the microphone off and rejects', async () => {
    const { client, signaling } = await joined({ isMicOn: true, isCameraOn: false })
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(1))
    await client.setMicOn(false)
    signaling.respond('media:resumeProducer', () => {
      throw new SignalingError('FORBIDDEN', 'muted by a moderator')
    })
    await expect(client.setMicOn(true)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(client.getSnapshot().local.isMicOn).toBe(false)
    // Paused again locally too: the track sends nothing.
    expect(client.getSnapshot().local.micTrack?.enabled).toBe(false)
  })

  it('a microphone or screen the meeting refuses to produce shows as off', async () => {
    const { client, signaling } = setup({ isMicOn: true, isCameraOn: false })
    current = client
    signaling.respond('media:produce', ({ source }) => {
      if (source === 'microphone' || source === 'screen') {
        throw new SignalingError('FORBIDDEN', `${source} refused`)
      }
      return { producerId: 'producer-x' }
    })
    client.start()
    // The microphone was on when it was offered; the refusal turns it off.
    await vi.waitFor(() =>
      expect(signaling.sent('media:produce')).toMatchObject([{ source: 'microphone' }]),
    )
    await vi.waitFor(() => expect(client.getSnapshot().local.isMicOn).toBe(false))
    await client.startScreenShare()
    await vi.waitFor(() => expect(client.getSnapshot().local.isScreenSharing).toBe(false))
  })

  it('consumes everyone present: audio plays at once, video waits until a tile shows it', async () => {
    const { client, signaling } = await joined({ isMicOn: false, isCameraOn: false, peers: [anna] })
    await vi.waitFor(() => expect(signaling.sent('media:consume')).toHaveLength(2))
    // The receive transport exists before anything is consumed.
    const order = signaling.requests.map((r) => r.event)
    expect(order.indexOf('media:createTransport')).toBeLessThan(order.indexOf('media:consume'))
    await vi.waitFor(() => expect(signaling.sent('media:resumeConsumer')).toHaveLength(1))
    const audioConsumer = client.getSnapshot().producers['anna-mic']?.consumerId
    expect(signaling.sent('media:resumeConsumer')).toEqual([{ consumerId: audioConsumer }])

    const videoConsumer = client.getSnapshot().producers['anna-cam']?.consumerId
    expect(videoConsumer).toBeTruthy()
    client.setVideoView('tile-1', { producerId: 'anna-cam', layer: 1 })
    await vi.waitFor(() =>
      expect(signaling.sent('media:resumeConsumer')).toContainEqual({ consumerId: videoConsumer }),
    )
    expect(signaling.sent('media:setPreferredLayers')).toEqual([
      { consumerId: videoConsumer, spatialLayer: 1 },
    ])
    // The tile grows to speaker size, then leaves the screen.
    client.setVideoView('tile-1', { producerId: 'anna-cam', layer: 2 })
    await vi.waitFor(() => expect(signaling.sent('media:setPreferredLayers')).toHaveLength(2))
    client.setVideoView('tile-1', null)
    await vi.waitFor(() =>
      expect(signaling.sent('media:pauseConsumer')).toEqual([{ consumerId: videoConsumer }]),
    )
  })

  it('sends a consume, an audio resume or a view change again when the server failed it for a moment, not when it refused', async () => {
    const { client, signaling, errors } = setup({
      isMicOn: false,
      isCameraOn: false,
      peers: [anna, boris],
    })
    current = client
    const failOnce = <E extends ClientEvent>(
      event: E,
      code: string,
      when: (p: ClientPayload<E>) => boolean,
    ) => {
      let hasFailed = false
      const normal = signaling.responderOf(event)
      signaling.respond(event, (payload) => {
        if (hasFailed || !when(payload)) return normal(payload)
        hasFailed = true
        throw new SignalingError(code, `${event} failed`)
      })
    }
    failOnce('media:consume', 'INTERNAL', ({ producerId }) => producerId === 'anna-mic')
    failOnce('media:resumeConsumer', 'TIMEOUT', () => true)
    signaling.respond(
      'media:consume',
      ((normal) => (payload: ClientPayload<'media:consume'>) => {
        if (payload.producerId === 'boris-cam')
          throw new SignalingError('NOT_FOUND', 'producer not found')
        return normal(payload)
      })(signaling.responderOf('media:consume')),
    )
    client.start()

    await vi.waitFor(
      () => expect(client.getSnapshot().producers['anna-mic']?.consumerId).toBeTruthy(),
      { timeout: 5_000 },
    )
    const audioConsumer = client.getSnapshot().producers['anna-mic']!.consumerId
    await vi.waitFor(
      () =>
        expect(signaling.sent('media:resumeConsumer')).toEqual([
          { consumerId: audioConsumer },
          { consumerId: audioConsumer },
        ]),
      { timeout: 5_000 },
    )
    const consumed = signaling.sent('media:consume').map(({ producerId }) => producerId)
    expect(consumed.filter((id) => id === 'anna-mic')).toHaveLength(2)
    expect(consumed.filter((id) => id === 'boris-cam')).toHaveLength(1)
    expect(errors).toEqual(['consume boris-cam failed'])

    const videoConsumer = client.getSnapshot().producers['anna-cam']!.consumerId
    failOnce('media:setPreferredLayers', 'RATE_LIMITED', () => true)
    signaling.clear()
    client.setVideoView('tile-1', { producerId: 'anna-cam', layer: 1 })
    await vi.waitFor(
      () =>
        expect(signaling.sent('media:setPreferredLayers')).toEqual([
          { consumerId: videoConsumer, spatialLayer: 1 },
          { consumerId: videoConsumer, spatialLayer: 1 },
        ]),
      { timeout: 5_000 },
    )
    await vi.waitFor(() =>
      expect(signaling.sent('media:resumeConsumer')).toContainEqual({ consumerId: videoConsumer }),
    )
  })

  it('a page flip resumes the newly shown video first, then pauses the hidden one', async () => {
    const { client, signaling } = await joined({
      isMicOn: false,
      isCameraOn: false,
      peers: [anna, boris],
    })
    await vi.waitFor(() => {
      expect(client.getSnapshot().producers['anna-cam']?.consumerId).toBeTruthy()
      expect(client.getSnapshot().producers['boris-cam']?.consumerId).toBeTruthy()
    })
    const annaVideo = client.getSnapshot().producers['anna-cam']!.consumerId
    const borisVideo = client.getSnapshot().producers['boris-cam']!.consumerId
    client.setVideoView('tile-anna', { producerId: 'anna-cam', layer: 1 })
    await vi.waitFor(() =>
      expect(signaling.sent('media:resumeConsumer')).toContainEqual({ consumerId: annaVideo }),
    )
    // The server answers a socket's requests one at a time: what is sent first is done first.
    signaling.clear()
    client.setVideoView('tile-anna', null)
    client.setVideoView('tile-boris', { producerId: 'boris-cam', layer: 1 })
    await vi.waitFor(() =>
      expect(signaling.sent('media:pauseConsumer')).toEqual([{ consumerId: annaVideo }]),
    )
    expect(signaling.requests).toEqual([
      { event: 'media:setPreferredLayers', payload: { consumerId: borisVideo, spatialLayer: 1 } },
      { event: 'media:resumeConsumer', payload: { consumerId: borisVideo } },
      { event: 'media:pauseConsumer', payload: { consumerId: annaVideo } },
    ])
  })

  it('resumes the videos forecast on screen as soon as they exist, the one beyond the page stays paused', async () => {
    const { client, signaling } = await joined({
      isMicOn: false,
      isCameraOn: false,
      peers: [anna, boris, carl],
      // The first page has room for Anna and Boris only (and for Dave, who comes later).
      forecastVideos: forecastAtMiddleLayer('anna-cam', 'boris-cam', 'dave-cam'),
    })
    const consumerOf = (producerId: string) =>
      client.getSnapshot().producers[producerId]?.consumerId
    await vi.waitFor(() => expect(consumerOf('carl-cam')).toBeTruthy())
    // Not before the room screen is up: a keyframe needs a video element to land in.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(signaling.sent('media:resumeConsumer')).toHaveLength(2)
    client.attachStage()
    // On screen first, each person's video before their audio; Carl's video (page 2) last.
    expect(signaling.sent('media:consume').map((c) => c.producerId)).toEqual([
      'anna-cam',
      'anna-mic',
      'boris-cam',
      'carl-mic',
      'carl-cam',
    ])
    await vi.waitFor(() => expect(signaling.sent('media:resumeConsumer')).toHaveLength(4))
    const annaVideo = consumerOf('anna-cam')
    const layersThenResume = signaling.requests
      .filter(({ payload }) => (payload as { consumerId?: string }).consumerId === annaVideo)
      .map(({ event }) => event)
    expect(layersThenResume).toEqual(['media:setPreferredLayers', 'media:resumeConsumer'])
    expect(signaling.sent('media:resumeConsumer')).not.toContainEqual({
      consumerId: consumerOf('carl-cam'),
    })

    // The tiles render and report what the forecast said: nothing more to ask.
    signaling.clear()
    client.setVideoView('tile-anna', { producerId: 'anna-cam', layer: 1 })
    client.setVideoView('tile-boris', { producerId: 'boris-cam', layer: 1 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(signaling.requests).toEqual([])

    // Now the tiles decide: a newcomer's video waits for its tile, whatever the forecast says.
    const dave = remotePeer('Dave', ['camera'])
    signaling.peers = [...signaling.peers, dave]
    signaling.emit('media:peerJoined', { peer: dave })
    await vi.waitFor(() => expect(consumerOf('dave-cam')).toBeTruthy())
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(signaling.sent('media:resumeConsumer')).toEqual([])
  })

  it('once the tiles report, pauses a forecast video none of them shows', async () => {
    const { client, signaling } = await joined({
      isMicOn: false,
      isCameraOn: false,
      peers: [anna, boris],
      forecastVideos: forecastAtMiddleLayer('anna-cam', 'boris-cam'),
    })
    client.attachStage()
    await vi.waitFor(() => expect(signaling.sent('media:resumeConsumer')).toHaveLength(3))
    const annaVideo = client.getSnapshot().producers['anna-cam']?.consumerId
    // Anna's tile is not on screen after all.
    signaling.clear()
    client.setVideoView('tile-boris', { producerId: 'boris-cam', layer: 1 })
    await vi.waitFor(() =>
      expect(signaling.sent('media:pauseConsumer')).toEqual([{ consumerId: annaVideo }]),
    )
    expect(signaling.sent('media:resumeConsumer')).toEqual([])
  })

  it("with others' video off, pauses what the forecast resumed and forecasts nothing more", async () => {
    const { client, signaling } = await joined({
      isMicOn: false,
      isCameraOn: false,
      peers: [anna],
      forecastVideos: forecastAtMiddleLayer('anna-cam', 'boris-cam'),
    })
    client.attachStage()
    await vi.waitFor(() => expect(signaling.sent('media:resumeConsumer')).toHaveLength(2))
    const annaVideo = client.getSnapshot().producers['anna-cam']?.consumerId
    client.setIncomingVideo(false)
    await vi.waitFor(() =>
      expect(signaling.sent('media:pauseConsumer')).toEqual([{ consumerId: annaVideo }]),
    )
    signaling.peers = [...signaling.peers, boris]
    signaling.emit('media:peerJoined', { peer: boris })
    await vi.waitFor(() =>
      expect(client.getSnapshot().producers['boris-cam']?.consumerId).toBeTruthy(),
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(signaling.sent('media:resumeConsumer')).toHaveLength(2)
  })

  it('a video whose tile is already on screen when its consumer arrives is resumed at once, once', async () => {
    const { client, signaling } = await joined({ isMicOn: false, isCameraOn: false })
    client.attachStage()
    signaling.clear()
    signaling.peers = [boris]
    signaling.emit('media:peerJoined', { peer: boris })
    // The tile renders from the peer's producers, before the consumer exists.
    client.setVideoView('tile-boris', { producerId: 'boris-cam', layer: 2 })
    await vi.waitFor(() => expect(signaling.sent('media:resumeConsumer')).toHaveLength(1))
    const borisVideo = client.getSnapshot().producers['boris-cam']?.consumerId
    await new Promise((resolve) => setTimeout(resolve, 100))
    const consumerRequests = signaling.requests.filter(
      ({ payload }) => (payload as { consumerId?: string }).consumerId === borisVideo,
    )
    expect(consumerRequests).toEqual([
      { event: 'media:setPreferredLayers', payload: { consumerId: borisVideo, spatialLayer: 2 } },
      { event: 'media:resumeConsumer', payload: { consumerId: borisVideo } },
    ])
  })

  it('holds events that arrive before the join answer and applies them after the snapshot', async () => {
    const { client, signaling } = setup({ isMicOn: false, isCameraOn: false })
    current = client
    let release!: () => void
    const gate = new Promise<void>((resolve) => (release = resolve))
    signaling.respond('media:join', async () => {
      await gate
      return {
        peerId: 'me',
        routerRtpCapabilities: testFakeParameters.generateRouterRtpCapabilities(),
        peers: [{ ...anna, producers: [] }],
      }
    })
    client.start()
    await vi.waitFor(() => expect(signaling.sent('media:join')).toHaveLength(1))
    signaling.peers = [anna]
    signaling.emit('media:newProducer', {
      peerId: 'anna',
      producerId: 'anna-mic',
      kind: 'audio',
      source: 'microphone',
      paused: false,
    })
    expect(signaling.sent('media:consume')).toEqual([])
    release()
    await vi.waitFor(() =>
      expect(client.getSnapshot().producers['anna-mic']?.consumerId).toBeTruthy(),
    )
    expect(signaling.sent('media:consume')).toHaveLength(1)
  })

  it('follows remote peers: new producer, mute, producer closed, peer left', async () => {
    const { client, signaling } = await joined({ isMicOn: false, isCameraOn: false })
    signaling.peers = [anna]
    signaling.emit('media:peerJoined', { peer: { ...anna, producers: [] } })
    signaling.emit('media:newProducer', {
      peerId: 'anna',
      producerId: 'anna-mic',
      kind: 'audio',
      source: 'microphone',
      paused: false,
    })
    await vi.waitFor(() =>
      expect(client.getSnapshot().producers['anna-mic']?.consumerId).toBeTruthy(),
    )
    signaling.emit('media:producerPaused', { peerId: 'anna', producerId: 'anna-mic' })
    expect(client.getSnapshot().producers['anna-mic']?.isPaused).toBe(true)
    signaling.emit('media:producerClosed', { peerId: 'anna', producerId: 'anna-mic' })
    expect(client.getSnapshot().producers['anna-mic']).toBeUndefined()
    signaling.emit('media:peerLeft', { peerId: 'anna' })
    expect(client.getSnapshot().peers).toEqual([])
  })

  it('camera off closes the producer and stops the track; on produces a new one', async () => {
    const { client, signaling, opened } = await joined({ isMicOn: false, isCameraOn: true })
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(1))
    const firstTrack = opened.find((t) => t.kind === 'video')
    await client.setCameraOn(false)
    expect(signaling.sent('media:closeProducer')).toHaveLength(1)
    expect(firstTrack?.readyState).toBe('ended')
    expect(client.getSnapshot().local).toMatchObject({ isCameraOn: false, cameraTrack: null })
    await client.setCameraOn(true)
    expect(signaling.sent('media:produce')).toHaveLength(2)
    expect(client.getSnapshot().local.isCameraOn).toBe(true)
  })

  it('switching camera replaces the track in place (no new producer)', async () => {
    const { client, signaling, opened } = await joined({ isMicOn: false, isCameraOn: true })
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(1))
    const before = client.getSnapshot().local.cameraTrack
    await client.switchDevice('camera', 'back-camera')
    const after = client.getSnapshot().local.cameraTrack
    expect(after).not.toBe(before)
    expect(opened[0]?.readyState).toBe('ended')
    expect(signaling.sent('media:produce')).toHaveLength(1)
    expect(client.getSnapshot().local.cameraId).toBe('back-camera')
  })

  it('shares the screen with its audio and stops when the browser ends the capture', async () => {
    const { client, signaling, opened } = await joined({ isMicOn: false, isCameraOn: false })
    await client.startScreenShare()
    expect(signaling.sent('media:produce').map((p) => p.source)).toEqual(['screen', 'screen-audio'])
    expect(client.getSnapshot().local.isScreenSharing).toBe(true)
    opened.find((t) => t.kind === 'video')?.end()
    await vi.waitFor(() => expect(client.getSnapshot().local.isScreenSharing).toBe(false))
    expect(signaling.sent('media:closeProducer')).toHaveLength(2)
  })

  it('rejoins after the socket comes back: new join, new transports, same tracks re-produced, re-consumed', async () => {
    const { client, signaling, transports } = await joined({ peers: [anna] })
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(2))
    await vi.waitFor(() => expect(signaling.sent('media:consume')).toHaveLength(2))
    const micTrack = client.getSnapshot().local.micTrack
    signaling.drop()
    expect(client.getSnapshot().connectionState).toBe('reconnecting')
    await vi.waitFor(() => expect(transports.every((t) => t.closed)).toBe(true))
    signaling.clear()
    signaling.peerId = 'me-again'
    signaling.connect()
    await vi.waitFor(() => expect(client.getSnapshot().connectionState).toBe('connected'))
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(2))
    await vi.waitFor(() => expect(signaling.sent('media:consume')).toHaveLength(2))
    expect(client.getSnapshot().peerId).toBe('me-again')
    expect(client.getSnapshot().local.micTrack).toBe(micTrack)
    expect(micTrack?.readyState).toBe('live')
    expect(
      signaling
        .sent('media:createTransport')
        .map((t) => t.direction)
        .sort(),
    ).toEqual(['recv', 'send'])
  })

  it('media:reconnect (room rebuilt) keeps the peer, recreates transports, re-produces and re-consumes', async () => {
    const { client, signaling, transports } = await joined({
      isMicOn: true,
      isCameraOn: false,
      peers: [anna],
    })
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(1))
    await vi.waitFor(() => expect(signaling.sent('media:consume')).toHaveLength(2))
    signaling.clear()
    const annaAgain: PeerInfo = {
      ...anna,
      producers: [{ id: 'anna-mic-2', kind: 'audio', source: 'microphone', paused: false }],
    }
    signaling.peers = [annaAgain]
    signaling.emit('media:reconnect', { reason: 'room-reset' })
    expect(client.getSnapshot().producers).toEqual({})
    expect(client.getSnapshot().peers.map((p) => p.peerId)).toEqual(['anna'])
    signaling.emit('media:newProducer', {
      peerId: 'anna',
      producerId: 'anna-mic-2',
      kind: 'audio',
      source: 'microphone',
      paused: false,
    })
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(1))
    await vi.waitFor(() =>
      expect(signaling.sent('media:consume')).toEqual([
        expect.objectContaining({ producerId: 'anna-mic-2' }),
      ]),
    )
    expect(signaling.sent('media:join')).toEqual([])
    expect(transports.filter((t) => !t.closed)).toHaveLength(2)
    expect(client.getSnapshot().connectionState).toBe('connected')
  })

  it('when ICE cannot recover, leaves the session and joins again on the same socket', async () => {
    const { client, signaling, transports } = await joined({ isMicOn: true, isCameraOn: false })
    await vi.waitFor(() => expect(transports).toHaveLength(2))
    signaling.respond('media:restartIce', () => {
      throw new SignalingError('NOT_FOUND', 'no such transport')
    })
    signaling.clear()
    ;(transports[0]!.handler as FakeHandler).setConnectionState('failed')
    await vi.waitFor(() => expect(signaling.sent('media:join')).toHaveLength(1))
    const order = signaling.requests.map((r) => r.event)
    expect(order.indexOf('media:leave')).toBeLessThan(order.indexOf('media:join'))
    await vi.waitFor(() => expect(client.getSnapshot().connectionState).toBe('connected'))
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(1))
  })

  it('restarts ICE when a transport fails', async () => {
    const { client, signaling, transports } = await joined({ isMicOn: true, isCameraOn: false })
    await vi.waitFor(() => expect(transports).toHaveLength(2))
    const transport = transports[0]!
    ;(transport.handler as FakeHandler).setConnectionState('failed')
    expect(client.getSnapshot().connectionState).toBe('reconnecting')
    await vi.waitFor(() =>
      expect(signaling.sent('media:restartIce')).toEqual([{ transportId: transport.id }]),
    )
    ;(transport.handler as FakeHandler).setConnectionState('connected')
    expect(client.getSnapshot().connectionState).toBe('connected')
  })

  it('a refused join is final: failed with the reason', async () => {
    const { client, signaling } = setup()
    current = client
    signaling.joinError = 'FORBIDDEN'
    client.start()
    await vi.waitFor(() => expect(client.getSnapshot().connectionState).toBe('failed'))
    expect(client.getSnapshot().failure).toBe('FORBIDDEN')
  })

  it('meeting:ended ends the room and releases camera and microphone', async () => {
    const { client, signaling, opened } = await joined()
    signaling.emit('meeting:ended', {})
    expect(client.getSnapshot().status).toBe('ended')
    expect(opened.every((t) => t.readyState === 'ended')).toBe(true)
  })

  it('leave tells the server and closes everything', async () => {
    const { client, signaling, transports, opened } = await joined()
    await vi.waitFor(() => expect(signaling.sent('media:produce')).toHaveLength(2))
    await client.leave()
    expect(signaling.sent('media:leave')).toEqual([{}])
    expect(client.getSnapshot().status).toBe('left')
    await vi.waitFor(() => expect(transports.every((t) => t.closed)).toBe(true))
    expect(opened.every((t) => t.readyState === 'ended')).toBe(true)
  })
})
