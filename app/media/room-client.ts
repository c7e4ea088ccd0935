// The browser side of a meeting: a mediasoup-client Device and its two transports driven over the
// signaling channel (core/protocol/signaling.ts). Framework-free; React reads it through
// `subscribe`/`getSnapshot` (useSyncExternalStore).
//
// Lifecycle: start() connects the socket; each connect (first or after a drop) runs join(): a
// fresh session (Device, transports, producers, consumers) while the local tracks survive, so a
// rejoin re-produces the same camera and microphone. A session that cannot recover on the same
// socket (ICE gave up, a retried join) is left and joined again (rejoin). `media:reconnect` (the
// SFU rebuilt the room, peers kept) resets only the media: new transports, re-produce, and
// re-consume what the others re-produce. leave(), `meeting:ended` and dispose() finish for good.
import { Device, type types } from 'mediasoup-client'
import type { ProducerSource, TransportOptions } from '#core/protocol/media-types.ts'
import type { ServerEventPayloads } from '#core/protocol/signaling.ts'
import {
  createInitialRoomState,
  roomReducer,
  type LocalMedia,
  type RemoteProducer,
  type RoomAction,
  type RoomState,
} from './room-state.ts'
import { SignalingError, type ServerEvent, type SignalingConnection } from './signaling.ts'
import {
  aggregateViews,
  CAMERA_LAYERS,
  planViewOperations,
  type SpatialLayer,
  type VideoConsumerView,
  type VideoView,
  type ViewOperation,
} from './video-views.ts'

export type MediaAccess = {
  getUserMedia: (constraints: MediaStreamConstraints) => Promise<MediaStream>
  getDisplayMedia: (options: DisplayMediaStreamOptions) => Promise<MediaStream>
}

export type RoomClientOptions = {
  inviteCode: string
  signaling: SignalingConnection
  /** Media state chosen at pre-join. */
  initial: Pick<LocalMedia, 'isMicOn' | 'isCameraOn' | 'cameraId' | 'microphoneId' | 'speakerId'>
  createDevice?: () => Promise<Device>
  media?: MediaAccess
  onError?: (message: string, error: unknown) => void
  /** SCTP on the transports (chat DataChannels); default: when the browser has RTCSctpTransport. */
  enableSctp?: boolean
  /**
   * The remote videos the room screen is expected to show, and at which layer, until its tiles say
   * what they show (setVideoView): they are consumed first and resumed as soon as they exist.
   */
  forecastVideos?: (state: RoomState) => ReadonlyMap<string, SpatialLayer>
}

/**
 * One media session's transports as the meeting chat (meeting-chat.ts) uses them: it opens its
 * DataChannels on them after each join and media reset.
 */
export type DataSession = {
  readonly id: number
  readonly isSctpEnabled: boolean
  sendTransport(): Promise<types.Transport>
  recvTransport(): Promise<types.Transport>
  isCurrent(): boolean
}

const browserHasSctp = () =>
  typeof RTCPeerConnection !== 'undefined' && 'sctp' in RTCPeerConnection.prototype

type Session = {
  id: number
  device: Device
  send: Promise<types.Transport> | null
  recv: Promise<types.Transport> | null
  producers: Map<ProducerSource, types.Producer>
  consumers: Map<string, ConsumerEntry>
  /** Producers whose consume is in flight. */
  consuming: Set<string>
  /** consumerClosed events that arrived before our consume finished. */
  closedConsumerIds: Set<string>
  /** Transports whose ICE is disconnected or failed, with their restart attempts. */
  unhealthy: Map<string, { attempts: number; timer?: ReturnType<typeof setTimeout> }>
  isClosed: boolean
}

type ConsumerEntry = {
  consumer: types.Consumer
  producerId: string
  kind: 'audio' | 'video'
  type: string
  /** Paused server-side by us because no tile shows it (video consumers start that way). */
  isHidden: boolean
  layer: SpatialLayer | null
}

/**
 * The order in which to consume a room we join. The server creates a socket's consumers one at a
 * time, so the screen being presented goes first, then each person in join order with the video
 * their tile shows before their audio, and the videos nobody sees last.
 */
function consumeOrder(
  producers: readonly RemoteProducer[],
  peerIds: readonly string[],
  wanted: ReadonlyMap<string, SpatialLayer>,
): string[] {
  const group = (producer: RemoteProducer) =>
    producer.kind === 'audio'
      ? 1
      : !wanted.has(producer.id)
        ? 2
        : producer.source === 'screen'
          ? 0
          : 1
  const kindRank = (producer: RemoteProducer) => (producer.kind === 'video' ? 0 : 1)
  const peerRank = (producer: RemoteProducer) => peerIds.indexOf(producer.peerId)
  return [...producers]
    .sort((a, b) => group(a) - group(b) || peerRank(a) - peerRank(b) || kindRank(a) - kindRank(b))
    .map((producer) => producer.id)
}

// Errors after which retrying the join cannot help: the server refuses this user in this meeting.
// (CONFLICT: the meeting has ended; a second join on one socket cannot happen, rejoin leaves first.)
const TERMINAL_JOIN_CODES = new Set([
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_REQUEST',
  'CONFLICT',
])
const JOIN_RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000]
// A consume or audio resume that a busy server failed (or answered too late) is sent again after
// these delays; anything it refused for a reason is not. View operations retry through the sync.
const REQUEST_RETRY_DELAYS_MS = [500, 1_000, 2_000, 4_000]
const TRANSIENT_CODES = new Set(['INTERNAL', 'TIMEOUT', 'RATE_LIMITED'])
const isTransient = (error: unknown) =>
  error instanceof SignalingError && TRANSIENT_CODES.has(error.code)
// 'disconnected' often heals by itself within a second or two; restart ICE only if it does not.
const ICE_DISCONNECTED_GRACE_MS = 2_000
const MAX_ICE_RESTARTS = 3
// Coalesces bursts of tile mounts/resizes (page flips, layout switches) into one sync.
const VIEW_SYNC_DELAY_MS = 60
const VIEW_SYNC_RETRY_MS = 1_000
const LEAVE_TIMEOUT_MS = 3_000

const MIC_CONSTRAINTS = { echoCancellation: true, noiseSuppression: true, autoGainControl: true }
const CAMERA_CONSTRAINTS = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30, max: 30 },
}
export const SCREEN_CONSTRAINTS: DisplayMediaStreamOptions = {
  video: { width: { max: 1920 }, height: { max: 1080 }, frameRate: { max: 30 } },
  audio: true,
}

function producerOptions(source: ProducerSource): Omit<types.ProducerOptions, 'track'> {
  switch (source) {
    case 'microphone':
      return { codecOptions: { opusStereo: false, opusDtx: true, opusFec: true } }
    case 'camera':
      return {
        encodings: CAMERA_LAYERS.map((layer) => ({ ...layer, scalabilityMode: 'L1T3' })),
        codecOptions: { videoGoogleStartBitrate: 1000 },
      }
    case 'screen':
      return {
        encodings: [{ maxBitrate: 2_500_000 }],
        codecOptions: { videoGoogleStartBitrate: 1000 },
      }
    case 'screen-audio':
      return { codecOptions: { opusStereo: true, opusDtx: false, opusFec: true } }
  }
}

function browserMedia(): MediaAccess {
  return {
    getUserMedia: (constraints) => navigator.mediaDevices.getUserMedia(constraints),
    getDisplayMedia: (options) => navigator.mediaDevices.getDisplayMedia(options),
  }
}

export class RoomClient {
  private state: RoomState
  private readonly listeners = new Set<() => void>()
  private readonly options: RoomClientOptions
  /** Also read by MeetingControl (meeting-control.ts), which listens on the same socket. */
  readonly signaling: SignalingConnection
  private readonly media: MediaAccess
  private readonly createDevice: () => Promise<Device>

  private session: Session | null = null
  private sessionSeq = 0
  private readonly isSctpEnabled: boolean
  private readonly dataSessionListeners = new Set<(session: DataSession | null) => void>()
  private hasJoinedOnce = false
  private isFinished = false
  private isLeaving = false
  private joinRetry = 0
  private joinRetryTimer: ReturnType<typeof setTimeout> | undefined
  private rejoining: Promise<void> | null = null
  /** Server events that arrive while no session is ready; replayed after the join snapshot. */
  private pendingEvents: (() => void)[] = []

  /** Local tracks outlive sessions: a rejoin re-produces them. */
  private readonly tracks = new Map<ProducerSource, MediaStreamTrack>()
  /** Local media changes run one at a time, so quick toggles cannot interleave. */
  private localQueue: Promise<unknown> = Promise.resolve()

  private readonly views = new Map<string, VideoView>()
  /**
   * The room screen's stage is mounted, so a consumer's track has a video element. Before that no
   * video is resumed: a keyframe that arrives before the element is lost, and the decoder then
   * waits up to 3 s to ask for another.
   */
  private isStageMounted = false
  /** A tile has said what it shows: from then on `views` is what is on screen, not a forecast. */
  private hasTileReported = false
  /** "Receive others' video": off, no video is expected on screen. */
  private isIncomingVideoOn = true
  private viewSyncTimer: ReturnType<typeof setTimeout> | undefined
  private viewSyncDueAt = 0
  private viewSync: Promise<void> | null = null
  private isViewSyncDirty = false

  constructor(options: RoomClientOptions) {
    this.options = options
    this.signaling = options.signaling
    this.media = options.media ?? browserMedia()
    this.createDevice = options.createDevice ?? (() => Device.factory())
    this.isSctpEnabled = options.enableSctp ?? browserHasSctp()
    this.state = createInitialRoomState({
      ...options.initial,
      isMicOn: false,
      isCameraOn: false,
    })
    this.listenToServer()
  }

  // ── Store ────────────────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): RoomState => this.state

  private dispatch(action: RoomAction) {
    const next = roomReducer(this.state, action)
    if (next === this.state) return
    this.state = next
    for (const listener of this.listeners) listener()
  }

  private setLocal(patch: Partial<LocalMedia>) {
    this.dispatch({ type: 'local', patch })
  }

  private report(message: string, error: unknown) {
    this.options.onError?.(message, error)
  }

  // ── Lifecycle ────────────────────────────────────────────────────────────────────────────────

  /** Opens the camera/microphone chosen at pre-join and connects; joining follows each connect. */
  start() {
    const { isMicOn, isCameraOn } = this.options.initial
    this.enqueue(() => this.acquireInitialMedia(isMicOn, isCameraOn))
    this.signaling.connect()
  }

  /** Leaves the meeting on purpose: the server is told, everything is closed. */
  async leave() {
    if (this.isFinished || this.isLeaving) return
    this.isLeaving = true
    await this.signaling.request('media:leave', {}, { timeoutMs: LEAVE_TIMEOUT_MS }).catch(() => {})
    this.finish('left')
  }

  /** Ends the meeting for everyone (organizer); the server answers with `meeting:ended`. */
  async endForAll() {
    await this.signaling.request('meeting:end', {})
    this.finish('ended')
  }

  /** The component unmounts (navigation away): leave without waiting for an answer. */
  dispose() {
    if (this.isFinished || this.isLeaving) return
    if (this.signaling.isConnected) void this.signaling.request('media:leave', {}).catch(() => {})
    this.finish(null)
  }

  /** After 'failed': try again from scratch (the Retry button). */
  retry() {
    if (this.isFinished) return
    this.joinRetry = 0
    this.dispatch({ type: 'connection', state: 'reconnecting', failure: null })
    if (this.signaling.isConnected) void this.rejoin()
    else this.signaling.connect()
  }

  private finish(status: 'left' | 'ended' | null) {
    this.isFinished = true
    clearTimeout(this.joinRetryTimer)
    clearTimeout(this.viewSyncTimer)
    this.closeSession()
    for (const track of this.tracks.values()) track.stop()
    this.tracks.clear()
    this.signaling.close()
    this.setLocal({
      isMicOn: false,
      isCameraOn: false,
      isScreenSharing: false,
      micTrack: null,
      cameraTrack: null,
      screenTrack: null,
    })
    if (status) this.dispatch({ type: status })
  }

  // ── Joining ──────────────────────────────────────────────────────────────────────────────────

  private async join() {
    if (this.isFinished) return
    clearTimeout(this.joinRetryTimer)
    const id = ++this.sessionSeq
    this.closeSession()
    this.dispatch({
      type: 'connection',
      state: this.hasJoinedOnce ? 'reconnecting' : 'connecting',
    })
    try {
      const joined = await this.signaling.request('media:join', {
        inviteCode: this.options.inviteCode,
      })
      if (id !== this.sessionSeq || this.isFinished) return
      // Both transports are asked for while the device loads (it builds a throwaway peer connection).
      const recvOptions = this.requestTransport('recv')
      const sendOptions = this.requestTransport('send')
      const device = await this.createDevice()
      await device.load({
        routerRtpCapabilities: joined.routerRtpCapabilities as types.RtpCapabilities,
      })
      if (id !== this.sessionSeq || this.isFinished) return
      const session = this.createSession(id, device)
      this.session = session
      this.ensureTransport(session, 'recv', recvOptions)
      this.ensureTransport(session, 'send', sendOptions)
      this.announceDataSession(session)
      this.hasJoinedOnce = true
      this.joinRetry = 0
      this.dispatch({ type: 'joined', peerId: joined.peerId, peers: joined.peers })
      const pending = this.pendingEvents
      this.pendingEvents = []
      for (const replay of pending) replay()
      this.refreshConnectionState()
      const order = consumeOrder(
        Object.values(this.state.producers),
        this.state.peers.map((peer) => peer.peerId),
        this.expectedVideos(),
      )
      for (const producerId of order) void this.consume(session, producerId)
      this.enqueue(() => this.produceAll(session))
    } catch (error) {
      if (id !== this.sessionSeq || this.isFinished) return
      const code = error instanceof SignalingError ? error.code : 'UNSUPPORTED'
      this.report('join failed', error)
      if (TERMINAL_JOIN_CODES.has(code) || code === 'UNSUPPORTED') {
        this.dispatch({ type: 'connection', state: 'failed', failure: code })
        return
      }
      const delay = JOIN_RETRY_DELAYS_MS[this.joinRetry++]
      if (delay === undefined) {
        this.dispatch({ type: 'connection', state: 'failed', failure: code })
        return
      }
      this.dispatch({
        type: 'connection',
        state: this.hasJoinedOnce ? 'reconnecting' : 'connecting',
      })
      // A timed-out join may have succeeded on the server: rejoin leaves it first.
      this.joinRetryTimer = setTimeout(() => void this.rejoin(), delay)
    }
  }

  /** A fresh session on the same socket; the server's current one is left first. */
  private rejoin(): Promise<void> {
    if (this.isFinished || !this.signaling.isConnected) return Promise.resolve()
    this.rejoining ??= (async () => {
      this.sessionSeq++
      this.closeSession()
      this.refreshConnectionState()
      await this.signaling
        .request('media:leave', {}, { timeoutMs: LEAVE_TIMEOUT_MS })
        .catch(() => {})
      await this.join()
    })().finally(() => {
      this.rejoining = null
    })
    return this.rejoining
  }

  /**
   * The SFU rebuilt the room on another worker: we keep our peer and Device, everything else is
   * new. Others re-produce and announce it, so their old producers go from the state now.
   */
  private resetMedia() {
    const previous = this.session
    if (!previous || this.isFinished) return
    this.sessionSeq++
    this.closeSession()
    const session = this.createSession(this.sessionSeq, previous.device)
    this.session = session
    this.dispatch({ type: 'mediaReset' })
    this.refreshConnectionState()
    // If the rebuilt room does not know us after all, start over.
    this.ensureTransport(session, 'recv').catch(() => {
      if (this.isCurrent(session)) void this.rejoin()
    })
    this.enqueue(() => this.produceAll(session))
    this.announceDataSession(session)
  }

  /** Told about every media session once its transports are on the way, and null when it ends. */
  onDataSession(listener: (session: DataSession | null) => void): () => void {
    this.dataSessionListeners.add(listener)
    if (this.session && this.isCurrent(this.session)) listener(this.toDataSession(this.session))
    return () => this.dataSessionListeners.delete(listener)
  }

  private toDataSession(session: Session): DataSession {
    return {
      id: session.id,
      isSctpEnabled: this.isSctpEnabled,
      sendTransport: () => this.ensureTransport(session, 'send'),
      recvTransport: () => this.ensureTransport(session, 'recv'),
      isCurrent: () => this.isCurrent(session),
    }
  }

  private announceDataSession(session: Session | null) {
    const data = session ? this.toDataSession(session) : null
    for (const listener of this.dataSessionListeners) listener(data)
  }

  private createSession(id: number, device: Device): Session {
    return {
      id,
      device,
      send: null,
      recv: null,
      producers: new Map(),
      consumers: new Map(),
      consuming: new Set(),
      closedConsumerIds: new Set(),
      unhealthy: new Map(),
      isClosed: false,
    }
  }

  private closeSession() {
    const session = this.session
    this.session = null
    this.pendingEvents = []
    if (!session) return
    session.isClosed = true
    this.announceDataSession(null)
    for (const { timer } of session.unhealthy.values()) clearTimeout(timer)
    // Closing a transport closes its producers and consumers; tracks stay (stopTracks: false).
    for (const transport of [session.send, session.recv]) {
      void transport?.then((t) => t.close()).catch(() => {})
    }
    for (const [source, producer] of session.producers) {
      producer.close()
      session.producers.delete(source)
    }
    for (const entry of session.consumers.values()) entry.consumer.close()
    session.consumers.clear()
  }

  private isCurrent(session: Session) {
    return !session.isClosed && this.session === session && !this.isFinished
  }

  private refreshConnectionState() {
    if (this.isFinished) return
    const session = this.session
    if (!session || !this.signaling.isConnected) {
      if (this.state.connectionState !== 'failed') {
        this.dispatch({
          type: 'connection',
          state: this.hasJoinedOnce ? 'reconnecting' : 'connecting',
        })
      }
      return
    }
    this.dispatch({
      type: 'connection',
      state: session.unhealthy.size > 0 ? 'reconnecting' : 'connected',
      failure: null,
    })
  }

  // ── Server events ────────────────────────────────────────────────────────────────────────────

  private listenToServer() {
    const s = this.signaling
    s.onLink((event) => {
      if (this.isFinished) return
      if (event.type === 'connected') {
        void this.join()
      } else if (event.type === 'disconnected') {
        // The server drops our peer with the socket: local transports are dead too.
        this.sessionSeq++
        this.closeSession()
        this.refreshConnectionState()
      } else {
        this.dispatch({ type: 'connection', state: 'failed', failure: event.code })
      }
    })

    this.onServer('media:peerJoined', (session, { peer }) => {
      this.dispatch({ type: 'peerJoined', peer })
      for (const producer of peer.producers) void this.consume(session, producer.id)
    })
    this.onServer('media:peerLeft', (session, { peerId }) => {
      for (const producer of Object.values(this.state.producers)) {
        if (producer.peerId === peerId) this.closeConsumerOf(session, producer.id)
      }
      this.dispatch({ type: 'peerLeft', peerId })
    })
    this.onServer('media:newProducer', (session, payload) => {
      this.dispatch({ type: 'producerAdded', ...payload })
      void this.consume(session, payload.producerId)
    })
    this.onServer('media:producerClosed', (session, { producerId }) => {
      this.closeConsumerOf(session, producerId)
      this.dispatch({ type: 'producerClosed', producerId })
    })
    this.onServer('media:producerPaused', (_session, { producerId }) =>
      this.dispatch({ type: 'producerPaused', producerId }),
    )
    this.onServer('media:producerResumed', (_session, { producerId }) =>
      this.dispatch({ type: 'producerResumed', producerId }),
    )
    this.onServer('media:consumerClosed', (session, { consumerId }) => {
      const entry = session.consumers.get(consumerId)
      if (entry) {
        entry.consumer.close()
        session.consumers.delete(consumerId)
      } else {
        session.closedConsumerIds.add(consumerId)
      }
      this.dispatch({ type: 'consumerClosed', consumerId })
    })
    this.onServer('media:consumerPaused', (_session, { consumerId }) =>
      this.dispatch({ type: 'consumerPaused', consumerId }),
    )
    this.onServer('media:consumerResumed', (_session, { consumerId }) =>
      this.dispatch({ type: 'consumerResumed', consumerId }),
    )
    this.onServer('media:activeSpeaker', (_session, { peerId }) =>
      this.dispatch({ type: 'activeSpeaker', peerId }),
    )
    this.onServer('media:audioLevels', (_session, { levels }) =>
      this.dispatch({ type: 'audioLevels', levels }),
    )
    // The SFU side of the room was rebuilt (worker death): same path as a reconnect.
    s.on('media:reconnect', () => {
      if (!this.isFinished && this.signaling.isConnected) this.resetMedia()
    })
    s.on('meeting:ended', () => {
      if (!this.isFinished) this.finish('ended')
    })
  }

  /** A server event handler that runs against the current session, or waits for the next join. */
  private onServer<E extends ServerEvent>(
    event: E,
    handler: (session: Session, payload: ServerEventPayloads[E]) => void,
  ) {
    this.signaling.on(event, (payload) => {
      if (this.isFinished) return
      const run = () => {
        if (this.session) handler(this.session, payload)
      }
      if (this.session) run()
      else this.pendingEvents.push(run)
    })
  }

  // ── Transports ───────────────────────────────────────────────────────────────────────────────

  /** Created on first use and shared by concurrent callers; a failed creation is retried next time. */
  private ensureTransport(
    session: Session,
    direction: 'send' | 'recv',
    requested?: Promise<TransportOptions>,
  ) {
    const key = direction
    const existing = session[key]
    if (existing) return existing
    const created = this.createTransport(session, direction, requested)
    session[key] = created
    created.catch(() => {
      if (session[key] === created) session[key] = null
    })
    return created
  }

  private requestTransport(direction: 'send' | 'recv'): Promise<TransportOptions> {
    const requested = this.signaling.request('media:createTransport', {
      direction,
      enableSctp: this.isSctpEnabled,
    })
    // Whoever awaits it reports a failure; an abandoned session's request must not go unhandled.
    requested.catch(() => {})
    return requested
  }

  private async createTransport(
    session: Session,
    direction: 'send' | 'recv',
    requested = this.requestTransport(direction),
  ) {
    const options = await requested
    if (!this.isCurrent(session)) throw new Error('session closed')
    const transportOptions = options as unknown as types.TransportOptions
    const transport =
      direction === 'send'
        ? session.device.createSendTransport(transportOptions)
        : session.device.createRecvTransport(transportOptions)

    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signaling
        .request('media:connectTransport', { transportId: transport.id, dtlsParameters })
        .then(() => callback(), errback)
    })
    if (direction === 'send') {
      transport.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        this.signaling
          .request('media:produce', {
            transportId: transport.id,
            kind,
            rtpParameters: rtpParameters as never,
            source: appData.source as ProducerSource,
            paused: Boolean(appData.paused),
          })
          .then(({ producerId }) => callback({ id: producerId }), errback)
      })
      transport.on(
        'producedata',
        ({ sctpStreamParameters, label, protocol }, callback, errback) => {
          this.signaling
            .request('media:produceData', {
              transportId: transport.id,
              sctpStreamParameters: sctpStreamParameters as never,
              label: label as 'chat',
              protocol,
            })
            .then(({ dataProducerId }) => callback({ id: dataProducerId }), errback)
        },
      )
    }
    transport.on('connectionstatechange', (state) =>
      this.onTransportState(session, transport, state),
    )
    return transport
  }

  private onTransportState(
    session: Session,
    transport: types.Transport,
    state: types.ConnectionState,
  ) {
    if (!this.isCurrent(session)) return
    const health = session.unhealthy.get(transport.id)
    if (state === 'connected' || state === 'new' || state === 'connecting') {
      if (state === 'connected' && health) {
        clearTimeout(health.timer)
        session.unhealthy.delete(transport.id)
        this.refreshConnectionState()
      }
      return
    }
    if (state !== 'disconnected' && state !== 'failed') return
    const entry = health ?? { attempts: 0 }
    session.unhealthy.set(transport.id, entry)
    this.refreshConnectionState()
    clearTimeout(entry.timer)
    entry.timer = setTimeout(
      () => void this.restartIce(session, transport),
      state === 'failed' ? 0 : ICE_DISCONNECTED_GRACE_MS,
    )
  }

  private async restartIce(session: Session, transport: types.Transport) {
    const entry = session.unhealthy.get(transport.id)
    if (!this.isCurrent(session) || !entry || transport.closed) return
    if (transport.connectionState === 'connected') return
    if (entry.attempts >= MAX_ICE_RESTARTS) {
      // ICE cannot recover on this transport: start over with a fresh session.
      void this.rejoin()
      return
    }
    entry.attempts++
    try {
      const { iceParameters } = await this.signaling.request('media:restartIce', {
        transportId: transport.id,
      })
      if (!this.isCurrent(session)) return
      await transport.restartIce({ iceParameters: iceParameters as types.IceParameters })
      // If this restart does not reconnect either, try again (or rejoin) after the grace period.
      entry.timer = setTimeout(
        () => void this.restartIce(session, transport),
        ICE_DISCONNECTED_GRACE_MS * 2,
      )
    } catch (error) {
      this.report('ICE restart failed', error)
      if (this.isCurrent(session)) void this.rejoin()
    }
  }

  // ── Consuming ────────────────────────────────────────────────────────────────────────────────

  private async consume(session: Session, producerId: string) {
    if (session.consuming.has(producerId)) return
    if ([...session.consumers.values()].some((entry) => entry.producerId === producerId)) return
    session.consuming.add(producerId)
    try {
      // Gate: nothing is consumed before the receive transport exists.
      const transport = await this.ensureTransport(session, 'recv')
      if (!this.isCurrent(session) || !this.state.producers[producerId]) return
      const isWanted = () => this.isCurrent(session) && Boolean(this.state.producers[producerId])
      const options = await this.retrying(isWanted, () =>
        this.signaling.request('media:consume', {
          producerId,
          rtpCapabilities: session.device.recvRtpCapabilities as never,
        }),
      )
      if (!this.isCurrent(session)) return
      const consumer = await transport.consume({
        id: options.id,
        producerId: options.producerId,
        kind: options.kind,
        rtpParameters: options.rtpParameters as types.RtpParameters,
      })
      if (
        !this.isCurrent(session) ||
        !this.state.producers[producerId] ||
        session.closedConsumerIds.has(consumer.id)
      ) {
        consumer.close()
        return
      }
      const entry: ConsumerEntry = {
        consumer,
        producerId,
        kind: options.kind,
        type: options.type,
        isHidden: true,
        layer: null,
      }
      session.consumers.set(consumer.id, entry)
      // A video expected on screen is resumed now (once the room screen is up), not after its tile
      // renders and syncs. If the forecast was wrong, the sync after the tiles' first report
      // pauses it.
      const layer = options.kind === 'video' ? this.expectedVideos().get(producerId) : undefined
      if (layer !== undefined && this.isStageMounted) this.showVideo(session, entry, layer)
      this.dispatch({
        type: 'consumerCreated',
        producerId,
        consumerId: consumer.id,
        track: consumer.track,
        isPaused: options.producerPaused,
      })
      if (options.kind === 'audio') {
        // Everyone is heard, on any page: audio consumers resume as soon as they exist.
        await this.retrying(
          () => this.isCurrent(session) && session.consumers.get(consumer.id) === entry,
          () => this.signaling.request('media:resumeConsumer', { consumerId: consumer.id }),
        )
        entry.isHidden = false
      }
    } catch (error) {
      if (this.isCurrent(session) && this.state.producers[producerId]) {
        this.report(`consume ${producerId} failed`, error)
      }
    } finally {
      session.consuming.delete(producerId)
    }
  }

  /**
   * `request()`, sent again while it fails transiently and `isWanted()` still holds; throws the
   * last failure otherwise.
   */
  private async retrying<T>(isWanted: () => boolean, request: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await request()
      } catch (error) {
        const delay = REQUEST_RETRY_DELAYS_MS[attempt]
        if (delay === undefined || !isTransient(error)) throw error
        await new Promise((resolve) => setTimeout(resolve, delay))
        if (!isWanted()) throw error
      }
    }
  }

  private closeConsumerOf(session: Session, producerId: string) {
    for (const [consumerId, entry] of session.consumers) {
      if (entry.producerId !== producerId) continue
      entry.consumer.close()
      session.consumers.delete(consumerId)
      this.dispatch({ type: 'consumerClosed', consumerId })
    }
  }

  // ── What is on screen ────────────────────────────────────────────────────────────────────────

  /** The room screen's stage is mounted: the videos expected on screen are resumed now. */
  attachStage() {
    if (this.isStageMounted) return
    this.isStageMounted = true
    this.scheduleViewSync(0)
  }

  /** "Receive others' video" (the tiles then show none; no video is forecast either). */
  setIncomingVideo(isOn: boolean) {
    if (this.isIncomingVideoOn === isOn) return
    this.isIncomingVideoOn = isOn
    this.scheduleViewSync(0)
  }

  /**
   * What the tiles show; until one has reported (they do a frame after they mount), what the
   * forecast expects them to show, so a sync in between does not pause what it resumed.
   */
  private expectedVideos(): ReadonlyMap<string, SpatialLayer> {
    if (this.hasTileReported) return aggregateViews(this.views.values())
    if (!this.isIncomingVideoOn) return new Map()
    return this.options.forecastVideos?.(this.state) ?? new Map()
  }

  /** Layers, then resume, sent back to back: the server runs a socket's consumer requests in order. */
  private showVideo(session: Session, entry: ConsumerEntry, layer: SpatialLayer) {
    const operations = planViewOperations([videoView(entry)], new Map([[entry.producerId, layer]]))
    for (const operation of operations) void this.applyViewOperation(session, operation)
  }

  /**
   * A tile shows `producerId` at about this layer (null: it left the screen). Consumers nobody
   * shows are paused at the SFU; visible ones get the simulcast layer their largest tile needs.
   */
  setVideoView(key: string, view: VideoView | null) {
    // Tiles report from a mounted stage.
    this.isStageMounted = true
    if (view) this.hasTileReported = true
    const current = this.views.get(key)
    if (view === null) {
      if (!current) return
      this.views.delete(key)
    } else {
      if (current?.producerId === view.producerId && current.layer === view.layer) return
      this.views.set(key, view)
    }
    // A video coming on screen is wanted now (the tiles of one render arrive in the same task);
    // layer changes and departures wait a little so a resize does not flap the SFU.
    this.scheduleViewSync(view && !current ? 0 : VIEW_SYNC_DELAY_MS)
  }

  /** Syncs after `delayMs`, or sooner when a sync is already due earlier. */
  private scheduleViewSync(delayMs: number) {
    const dueAt = performance.now() + delayMs
    if (this.viewSyncTimer !== undefined && this.viewSyncDueAt <= dueAt) return
    clearTimeout(this.viewSyncTimer)
    this.viewSyncDueAt = dueAt
    this.viewSyncTimer = setTimeout(() => {
      this.viewSyncTimer = undefined
      void this.syncViews()
    }, delayMs)
  }

  private async syncViews() {
    if (this.viewSync) {
      this.isViewSyncDirty = true
      return
    }
    const session = this.session
    if (!session || !this.isCurrent(session) || !this.isStageMounted) return
    this.viewSync = (async () => {
      const wanted = this.expectedVideos()
      const videos = [...session.consumers.values()]
        .filter((entry) => entry.kind === 'video')
        .map(videoView)
      // What comes on screen goes first, each consumer's operations in order (layers before resume)
      // and consumers side by side; pauses of what left the screen follow. The server answers a
      // socket's requests one at a time, so on a page flip the new videos do not queue behind the
      // old page's pauses.
      const chains = new Map<string, ViewOperation[]>()
      for (const operation of planViewOperations(videos, wanted)) {
        const chain = chains.get(operation.consumerId) ?? []
        chain.push(operation)
        chains.set(operation.consumerId, chain)
      }
      // A chain's requests go out back to back without waiting for each answer: the server runs a
      // socket's requests in order, so layers still precede the resume, one round trip sooner.
      const run = async (chain: ViewOperation[]) => {
        await Promise.all(chain.map((operation) => this.applyViewOperation(session, operation)))
      }
      const isHide = (chain: ViewOperation[]) => chain.every(({ op }) => op === 'pause')
      await Promise.all([...chains.values()].filter((chain) => !isHide(chain)).map(run))
      await Promise.all([...chains.values()].filter(isHide).map(run))
    })()
    await this.viewSync
    this.viewSync = null
    if (this.isViewSyncDirty) {
      this.isViewSyncDirty = false
      await this.syncViews()
    }
  }

  /**
   * Sends one view operation, unless its consumer or the session is gone. The entry records it as
   * soon as it is sent, so a sync meanwhile does not ask again; a failure undoes that for the next.
   */
  private async applyViewOperation(session: Session, operation: ViewOperation): Promise<void> {
    const entry = session.consumers.get(operation.consumerId)
    if (!entry || !this.isCurrent(session)) return
    const { consumerId } = operation
    const before = { isHidden: entry.isHidden, layer: entry.layer }
    try {
      if (operation.op === 'layers') {
        entry.layer = operation.spatialLayer
        await this.signaling.request('media:setPreferredLayers', {
          consumerId,
          spatialLayer: operation.spatialLayer,
        })
      } else {
        entry.isHidden = operation.op === 'pause'
        await this.signaling.request(
          operation.op === 'pause' ? 'media:pauseConsumer' : 'media:resumeConsumer',
          { consumerId },
        )
      }
    } catch (error) {
      if (!this.isCurrent(session) || session.consumers.get(consumerId) !== entry) return
      // Undone unless a later operation has set the entry since.
      if (operation.op === 'layers') {
        if (entry.layer === operation.spatialLayer) entry.layer = before.layer
      } else if (entry.isHidden === (operation.op === 'pause')) {
        entry.isHidden = before.isHidden
      }
      // A busy server: the next sync plans the operation again (a later one may have replaced it).
      if (isTransient(error)) this.scheduleViewSync(VIEW_SYNC_RETRY_MS)
      this.report(`${operation.op} consumer failed`, error)
    }
  }

  // ── Local media ──────────────────────────────────────────────────────────────────────────────

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.localQueue.then(task, task)
    this.localQueue = run.catch(() => {})
    return run
  }

  private rememberTrack(source: ProducerSource, track: MediaStreamTrack) {
    this.tracks.set(source, track)
    // A device unplugged or a permission revoked ends the track: reflect it in the controls.
    track.addEventListener('ended', () => {
      if (this.tracks.get(source) !== track || this.isFinished) return
      if (source === 'camera') void this.setCameraOn(false)
      else if (source === 'microphone') void this.dropMicrophone()
      else if (source === 'screen') void this.stopScreenShare()
    })
  }

  private async acquireInitialMedia(isMicOn: boolean, isCameraOn: boolean) {
    if (!isMicOn && !isCameraOn) return
    const { microphoneId, cameraId } = this.state.local
    try {
      // One request: one permission prompt for both.
      const stream = await this.media.getUserMedia({
        audio: isMicOn
          ? { ...MIC_CONSTRAINTS, deviceId: microphoneId ? { ideal: microphoneId } : undefined }
          : false,
        video: isCameraOn
          ? { ...CAMERA_CONSTRAINTS, deviceId: cameraId ? { ideal: cameraId } : undefined }
          : false,
      })
      if (this.isFinished) {
        for (const track of stream.getTracks()) track.stop()
        return
      }
      const mic = stream.getAudioTracks()[0]
      const camera = stream.getVideoTracks()[0]
      if (mic) this.rememberTrack('microphone', mic)
      if (camera) this.rememberTrack('camera', camera)
      this.setLocal({
        isMicOn: Boolean(mic),
        micTrack: mic ?? null,
        isCameraOn: Boolean(camera),
        cameraTrack: camera ?? null,
        problem: null,
      })
    } catch (error) {
      this.setLocal({ problem: mediaProblem(error) })
    }
  }

  private async produceAll(session: Session) {
    for (const source of ['microphone', 'camera', 'screen', 'screen-audio'] as const) {
      if (!this.isCurrent(session)) return
      await this.produce(session, source)
    }
  }

  private async produce(session: Session, source: ProducerSource) {
    const track = this.tracks.get(source)
    if (!track || track.readyState === 'ended' || session.producers.has(source)) return
    try {
      const transport = await this.ensureTransport(session, 'send')
      if (!this.isCurrent(session)) return
      const paused = source === 'microphone' && !this.state.local.isMicOn
      // A disabled track makes mediasoup-client start the producer paused.
      track.enabled = !paused
      const producer = await transport.produce({
        track,
        ...producerOptions(source),
        stopTracks: false,
        appData: { source, paused },
      })
      if (!this.isCurrent(session)) {
        producer.close()
        return
      }
      session.producers.set(source, producer)
    } catch (error) {
      if (!this.isCurrent(session)) return
      this.report(`produce ${source} failed`, error)
      // Refused by the meeting's rules (force-muted, screen sharing for presenters only): the
      // controls must not claim otherwise.
      if (error instanceof SignalingError && error.code === 'FORBIDDEN') {
        if (source === 'microphone') {
          track.enabled = false
          this.setLocal({ isMicOn: false })
        } else if (source === 'screen') {
          void this.stopScreenShare()
        }
      }
    }
  }

  private async closeProducer(source: ProducerSource) {
    const session = this.session
    const producer = session?.producers.get(source)
    if (!session || !producer) return
    producer.close()
    session.producers.delete(source)
    await this.signaling
      .request('media:closeProducer', { producerId: producer.id })
      .catch((error: unknown) => this.report(`close ${source} failed`, error))
  }

  setMicOn(isOn: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.isFinished) return
      const session = this.session
      if (!isOn) {
        this.setLocal({ isMicOn: false })
        const producer = session?.producers.get('microphone')
        if (!producer || producer.paused) return
        producer.pause()
        await this.signaling
          .request('media:pauseProducer', { producerId: producer.id })
          .catch((error: unknown) => this.report('mute failed', error))
        return
      }
      let track = this.tracks.get('microphone')
      if (!track || track.readyState === 'ended') {
        try {
          track = await this.openTrack('audio', this.state.local.microphoneId)
        } catch (error) {
          this.setLocal({ problem: mediaProblem(error) })
          return
        }
        this.rememberTrack('microphone', track)
      }
      this.setLocal({ isMicOn: true, micTrack: track, problem: null })
      const producer = session?.producers.get('microphone')
      if (producer) {
        if (producer.track !== track) await producer.replaceTrack({ track })
        producer.resume()
        try {
          await this.signaling.request('media:resumeProducer', { producerId: producer.id })
        } catch (error) {
          // A moderator muted us and self-unmute is off: stay muted and let the caller say so.
          if (error instanceof SignalingError && error.code === 'FORBIDDEN') {
            producer.pause()
            this.setLocal({ isMicOn: false })
            throw error
          }
          this.report('unmute failed', error)
        }
      } else if (session) {
        await this.produce(session, 'microphone')
      }
    })
  }

  /** The microphone track ended under us (device unplugged): muted, and reopened on unmute. */
  private dropMicrophone(): Promise<void> {
    return this.enqueue(async () => {
      this.tracks.delete('microphone')
      await this.closeProducer('microphone')
      this.setLocal({ isMicOn: false, micTrack: null })
    })
  }

  /** Off closes the producer and stops the track, so the camera light goes off. */
  setCameraOn(isOn: boolean): Promise<void> {
    return this.enqueue(async () => {
      if (this.isFinished) return
      if (!isOn) {
        await this.closeProducer('camera')
        this.tracks.get('camera')?.stop()
        this.tracks.delete('camera')
        this.setLocal({ isCameraOn: false, cameraTrack: null })
        return
      }
      if (this.tracks.get('camera')?.readyState === 'live') return
      let track: MediaStreamTrack
      try {
        track = await this.openTrack('video', this.state.local.cameraId)
      } catch (error) {
        this.setLocal({ problem: mediaProblem(error) })
        return
      }
      if (this.isFinished) {
        track.stop()
        return
      }
      this.rememberTrack('camera', track)
      this.setLocal({ isCameraOn: true, cameraTrack: track, problem: null })
      if (this.session) await this.produce(this.session, 'camera')
    })
  }

  async startScreenShare(): Promise<void> {
    if (this.isFinished || this.tracks.has('screen')) return
    let stream: MediaStream
    try {
      // Outside the queue: the browser's picker may stay open for a while.
      stream = await this.media.getDisplayMedia(SCREEN_CONSTRAINTS)
    } catch (error) {
      // Closing the picker is a choice, not a problem.
      if ((error as DOMException)?.name !== 'NotAllowedError') {
        this.setLocal({ problem: 'screen-failed' })
        this.report('screen capture failed', error)
      }
      return
    }
    await this.enqueue(async () => {
      const video = stream.getVideoTracks()[0]
      const audio = stream.getAudioTracks()[0]
      if (this.isFinished || !video || this.tracks.has('screen')) {
        for (const track of stream.getTracks()) track.stop()
        return
      }
      // Slides and text: keep resolution, drop frames when bandwidth is short.
      if ('contentHint' in video) video.contentHint = 'detail'
      this.rememberTrack('screen', video)
      if (audio) this.rememberTrack('screen-audio', audio)
      this.setLocal({ isScreenSharing: true, screenTrack: video })
      const session = this.session
      if (!session) return
      await this.produce(session, 'screen')
      if (audio) await this.produce(session, 'screen-audio')
    })
  }

  stopScreenShare(): Promise<void> {
    return this.enqueue(async () => {
      for (const source of ['screen', 'screen-audio'] as const) {
        await this.closeProducer(source)
        this.tracks.get(source)?.stop()
        this.tracks.delete(source)
      }
      this.setLocal({ isScreenSharing: false, screenTrack: null })
    })
  }

  /** Switches camera or microphone in place (replaceTrack: no renegotiation, no new producer). */
  switchDevice(kind: 'camera' | 'microphone', deviceId: string | undefined): Promise<void> {
    return this.enqueue(async () => {
      if (this.isFinished) return
      const source = kind
      this.setLocal(kind === 'camera' ? { cameraId: deviceId } : { microphoneId: deviceId })
      const old = this.tracks.get(source)
      if (!old) return
      // Phones cannot open two cameras at once: release the old one first.
      old.stop()
      let track: MediaStreamTrack
      try {
        track = await this.openTrack(kind === 'camera' ? 'video' : 'audio', deviceId)
      } catch (error) {
        this.tracks.delete(source)
        this.setLocal({
          problem: mediaProblem(error),
          ...(kind === 'camera'
            ? { isCameraOn: false, cameraTrack: null }
            : { isMicOn: false, micTrack: null }),
        })
        await this.closeProducer(source)
        return
      }
      this.rememberTrack(source, track)
      this.setLocal(kind === 'camera' ? { cameraTrack: track } : { micTrack: track })
      const producer = this.session?.producers.get(source)
      if (producer) await producer.replaceTrack({ track })
      else track.enabled = kind === 'camera' || this.state.local.isMicOn
    })
  }

  /** Audio output; the UI applies it to its audio elements with setSinkId. */
  setSpeaker(deviceId: string | undefined) {
    this.setLocal({ speakerId: deviceId })
  }

  private async openTrack(kind: 'audio' | 'video', deviceId: string | undefined) {
    const constraints =
      kind === 'audio'
        ? { ...MIC_CONSTRAINTS, deviceId: deviceId ? { exact: deviceId } : undefined }
        : { ...CAMERA_CONSTRAINTS, deviceId: deviceId ? { exact: deviceId } : undefined }
    const stream = await this.media.getUserMedia({ [kind]: constraints })
    const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0]
    if (!track) throw new DOMException('no track', 'NotFoundError')
    return track
  }
}

function videoView(entry: ConsumerEntry): VideoConsumerView {
  return {
    consumerId: entry.consumer.id,
    producerId: entry.producerId,
    type: entry.type,
    isHidden: entry.isHidden,
    layer: entry.layer,
  }
}

function mediaProblem(error: unknown): LocalMedia['problem'] {
  const name = (error as { name?: string } | null)?.name
  return name === 'NotAllowedError' || name === 'SecurityError' ? 'permission-denied' : 'no-devices'
}
