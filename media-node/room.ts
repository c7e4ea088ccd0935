// One meeting's media on this node: a mediasoup Router on a worker chosen by load, the room's peers
// and each peer's transports, producers and consumers. Every id a request names is looked up in
// that peer's own maps, so nobody reaches another peer's objects, let alone another room's.
import type { types } from 'mediasoup'
import type { z } from 'zod'
import { AppError, ErrorCode } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import { CHAT_DATA_LABEL, CHAT_DATA_MAX_BYTES } from '#core/protocol/chat.ts'
import {
  CHAT_ROOM_DATA_MAX_BYTES,
  type MediaRpcRequestSchemas,
  type MediaRpcResponses,
} from '#core/protocol/media-rpc.ts'
import type {
  ConsumerOptions,
  DataConsumerOptions,
  MediaKind,
  PeerInfo,
  ProducerSource,
  TransportDirection,
  TransportOptions,
} from '#core/protocol/media-types.ts'
import type { PublishMediaEvent } from './events.ts'
import type { PooledWorker } from './worker-pool.ts'

/** Audio level sampling period; one report per period is also all a room ever publishes. */
export const AUDIO_LEVELS_INTERVAL_MS = 800
/** dBov; quieter than this is silence (mediasoup's range is -127..0). */
const AUDIO_LEVEL_THRESHOLD_DBOV = -70
/** Loudest producers per report: enough for "who is talking" badges in a big call. */
const AUDIO_LEVELS_MAX_ENTRIES = 10
/** A camera stream starts at about this rate instead of mediasoup's 600 kbps, then BWE adapts. */
const INITIAL_OUTGOING_BITRATE_BPS = 1_000_000
/** The same numbers mediasoup-client offers, so a DataChannel gets all the streams it asks for. */
const SCTP_STREAMS: types.NumSctpStreams = { OS: 1024, MIS: 1024 }
/**
 * A client uses one send and one recv transport; the rest is slack for retries. Each transport
 * holds a UDP and a TCP port of the worker's slice, so one peer must not be able to take them all.
 */
const MAX_TRANSPORTS_PER_PEER = 8
/**
 * A peer whose client closed every WebRTC transport it had (DTLS close alert) and made no new one
 * within this time is gone, even if no leave arrives: the web instance holding its socket may have
 * died. A client that is only rejoining sends its leave well within it.
 */
export const GONE_PEER_GRACE_MS = 5_000

const KIND_OF_SOURCE: Record<ProducerSource, MediaKind> = {
  microphone: 'audio',
  camera: 'video',
  screen: 'video',
  'screen-audio': 'audio',
}

/** A client's WebRTC transport, or a plain RTP one (a recorder/ASR tap, an RTP source). */
type PeerTransport = types.WebRtcTransport | types.PlainTransport

type Peer = {
  peerId: string
  userId: string
  displayName: string
  role: string
  transports: Map<string, PeerTransport>
  producers: Map<string, types.Producer>
  consumers: Map<string, types.Consumer>
  /** The peer's chat DataProducer (one per send transport; the newest counts). */
  dataProducers: Map<string, types.DataProducer>
  /** The peer's DataConsumers of the room's chat DataProducer. */
  dataConsumers: Map<string, types.DataConsumer>
}

/** The mediasoup side of a room; replaced as a whole when its worker dies. */
type MediaPlane = {
  router: types.Router
  audioLevels: types.AudioLevelObserver
  activeSpeaker: types.ActiveSpeakerObserver
  /**
   * Chat over SCTP (docs/decisions/0010-meeting-chat-datachannel.md): the room reads every peer's
   * chat DataProducer through this transport, and sends to everyone with its own DataProducer.
   */
  chatTransport: types.DirectTransport
  chatProducer: types.DataProducer
  workerPid: number
}

type TransportAppData = { peerId: string; direction: TransportDirection; isPlain: boolean }
type ProducerAppData = { peerId: string; source: ProducerSource }

/**
 * A plain RTP transport to a process we trust on our own network (no ICE, DTLS or SRTP): 'recv'
 * is a tap that consume() feeds like a client's recv transport, 'send' an RTP source to produce().
 */
export type PlainTransportRequest = {
  peerId: string
  direction: TransportDirection
  /** Where the far end listens. Comedia is off: RTP and RTCP are accepted only from there. */
  remoteIp: string
  remotePort: number
}

/** The transport's own address, which the far end receives from (and a source sends to). */
export type PlainTransportInfo = { id: string; ip: string; port: number }

export type RoomOptions = {
  roomId: string
  pickWorker: () => PooledWorker
  listenIps: types.TransportListenIp[]
  publish: PublishMediaEvent
  log: Logger
  gonePeerGraceMs?: number
  /** A peer was removed because its client went away without a leave (see GONE_PEER_GRACE_MS). */
  onPeerGone?: (room: Room) => void
}

/** A validated RPC request (defaults applied) without the room id, which chose the room. */
export type RoomRequest<M extends keyof typeof MediaRpcRequestSchemas> = Omit<
  z.output<(typeof MediaRpcRequestSchemas)[M]>,
  'roomId'
>

const notFound = (what: string) => new AppError(ErrorCode.NotFound, `${what} not found`)

async function createMediaPlane(options: RoomOptions): Promise<MediaPlane> {
  const worker = options.pickWorker()
  const router = await worker.createRouter({ roomId: options.roomId })
  try {
    const audioLevels = await router.createAudioLevelObserver({
      interval: AUDIO_LEVELS_INTERVAL_MS,
      threshold: AUDIO_LEVEL_THRESHOLD_DBOV,
      maxEntries: AUDIO_LEVELS_MAX_ENTRIES,
    })
    const activeSpeaker = await router.createActiveSpeakerObserver()
    const chatTransport = await router.createDirectTransport({
      maxMessageSize: CHAT_ROOM_DATA_MAX_BYTES,
    })
    const chatProducer = await chatTransport.produceData({ label: CHAT_DATA_LABEL })
    return {
      router,
      audioLevels,
      activeSpeaker,
      chatTransport,
      chatProducer,
      workerPid: worker.pid,
    }
  } catch (error) {
    router.close()
    throw error
  }
}

const peerIdOf = (producer: types.Producer) => (producer.appData as ProducerAppData).peerId

export class Room {
  readonly roomId: string
  readonly #options: RoomOptions
  readonly #log: Logger
  readonly #peers = new Map<string, Peer>()
  #plane: MediaPlane
  #isClosed = false
  /** WebRTC transports connect() was called on (the worker refuses a second call). */
  #connectedTransports = new WeakSet<types.WebRtcTransport>()
  /** Per peer whose client closed every transport: the check that removes it (GONE_PEER_GRACE_MS). */
  readonly #goneTimers = new Map<string, NodeJS.Timeout>()

  private constructor(options: RoomOptions, plane: MediaPlane) {
    this.roomId = options.roomId
    this.#options = options
    this.#log = options.log.child({ roomId: options.roomId })
    this.#plane = plane
    this.#observeSpeakers(plane)
  }

  static async create(options: RoomOptions): Promise<Room> {
    const room = new Room(options, await createMediaPlane(options))
    room.#log.info({ workerPid: room.workerPid }, 'room created')
    return room
  }

  get isClosed(): boolean {
    return this.#isClosed
  }

  /** The router went down with its worker and resetMedia() has not replaced it yet. */
  get isMediaBroken(): boolean {
    return !this.#isClosed && this.#plane.router.closed
  }

  get workerPid(): number {
    return this.#plane.workerPid
  }

  get peerCount(): number {
    return this.#peers.size
  }

  /** Joins, or refreshes the metadata of a peer already here (a retried join keeps its media). */
  joinPeer(request: RoomRequest<'joinRoom'>): MediaRpcResponses['joinRoom'] {
    const { peerId, userId, displayName, role } = request
    const peer = this.#peers.get(peerId)
    if (peer) {
      Object.assign(peer, { userId, displayName, role })
    } else {
      this.#peers.set(peerId, {
        peerId,
        userId,
        displayName,
        role,
        transports: new Map(),
        producers: new Map(),
        consumers: new Map(),
        dataProducers: new Map(),
        dataConsumers: new Map(),
      })
      this.#log.info({ peerId, userId, peers: this.#peers.size }, 'peer joined')
    }
    return {
      rtpCapabilities: this.#plane.router.rtpCapabilities,
      peers: [...this.#peers.values()].filter((other) => other.peerId !== peerId).map(toPeerInfo),
    }
  }

  listPeers(): PeerInfo[] {
    return [...this.#peers.values()].map(toPeerInfo)
  }

  /**
   * Removes the peer and closes its transports (and so its producers and consumers). Tells the
   * others about each producer first, so they drop its tiles. Unknown peers are ignored.
   */
  leavePeer(peerId: string): void {
    const peer = this.#peers.get(peerId)
    if (!peer) return
    this.#peers.delete(peerId)
    this.#cancelGoneCheck(peerId)
    for (const producerId of peer.producers.keys()) {
      this.#options.publish({ type: 'producer-closed', roomId: this.roomId, peerId, producerId })
    }
    for (const transport of peer.transports.values()) transport.close()
    this.#log.info({ peerId, peers: this.#peers.size }, 'peer left')
  }

  async createTransport(request: RoomRequest<'createWebRtcTransport'>): Promise<TransportOptions> {
    const peer = this.#requirePeerWithTransportSlot(request.peerId)
    const appData: TransportAppData = {
      peerId: peer.peerId,
      direction: request.direction,
      isPlain: false,
    }
    const transport = await this.#plane.router.createWebRtcTransport({
      listenIps: this.#options.listenIps,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      initialAvailableOutgoingBitrate: INITIAL_OUTGOING_BITRATE_BPS,
      enableSctp: request.enableSctp,
      numSctpStreams: SCTP_STREAMS,
      // Larger chat messages are dropped by the worker; the client learns this limit from
      // sctpParameters and its DataChannel refuses to send more.
      maxSctpMessageSize: CHAT_ROOM_DATA_MAX_BYTES,
      appData,
    })
    this.#addTransport(peer, transport)
    return {
      id: transport.id,
      iceParameters: transport.iceParameters,
      iceCandidates: transport.iceCandidates,
      dtlsParameters: transport.dtlsParameters,
      sctpParameters: transport.sctpParameters,
    }
  }

  /** Created and connected in one step: the far end is already listening when it asks for one. */
  async createPlainTransport(request: PlainTransportRequest): Promise<PlainTransportInfo> {
    const peer = this.#requirePeerWithTransportSlot(request.peerId)
    const [listenIp] = this.#options.listenIps
    if (!listenIp) throw new Error('the room has no listen IP')
    const appData: TransportAppData = {
      peerId: peer.peerId,
      direction: request.direction,
      isPlain: true,
    }
    const transport = await this.#plane.router.createPlainTransport({
      listenIp,
      rtcpMux: true,
      comedia: false,
      appData,
    })
    this.#addTransport(peer, transport)
    try {
      await transport.connect({ ip: request.remoteIp, port: request.remotePort })
    } catch (error) {
      transport.close()
      throw error
    }
    return { id: transport.id, ip: transport.tuple.localIp, port: transport.tuple.localPort }
  }

  async connectTransport(request: RoomRequest<'connectTransport'>): Promise<void> {
    const transport = this.#requireWebRtcTransport(request.peerId, request.transportId)
    // The worker answers a second connect with an error that has no message; say what it is.
    if (this.#connectedTransports.has(transport)) {
      throw new AppError(ErrorCode.Conflict, 'transport already connected')
    }
    this.#connectedTransports.add(transport)
    try {
      await transport.connect({
        dtlsParameters: request.dtlsParameters as types.DtlsParameters,
      })
    } catch (error) {
      // Refused parameters: the client may try again with better ones.
      this.#connectedTransports.delete(transport)
      throw error
    }
  }

  async restartIce(request: RoomRequest<'restartIce'>): Promise<MediaRpcResponses['restartIce']> {
    const transport = this.#requireWebRtcTransport(request.peerId, request.transportId)
    return { iceParameters: await transport.restartIce() }
  }

  async produce(request: RoomRequest<'produce'>): Promise<MediaRpcResponses['produce']> {
    const { peerId, kind, source } = request
    const peer = this.#requirePeer(peerId)
    const transport = this.#requireTransport(peerId, request.transportId)
    if ((transport.appData as TransportAppData).direction !== 'send') {
      throw new AppError(ErrorCode.BadRequest, 'produce needs a send transport')
    }
    if (KIND_OF_SOURCE[source] !== kind) {
      throw new AppError(
        ErrorCode.BadRequest,
        `a ${source} producer carries ${KIND_OF_SOURCE[source]}`,
      )
    }
    if (findProducerBySource(peer, source)) {
      throw new AppError(
        ErrorCode.Conflict,
        `already producing ${source}; close that producer first`,
      )
    }
    const plane = this.#plane
    const appData: ProducerAppData = { peerId, source }
    const producer = await transport.produce({
      kind,
      rtpParameters: request.rtpParameters as types.RtpParameters,
      paused: request.paused,
      appData,
    })
    // Checked again after the await: the transport may have closed, or a concurrent request for
    // the same source may have won.
    if (transport.closed || findProducerBySource(peer, source)) {
      producer.close()
      if (transport.closed) throw notFound('transport')
      throw new AppError(
        ErrorCode.Conflict,
        `already producing ${source}; close that producer first`,
      )
    }
    peer.producers.set(producer.id, producer)
    producer.observer.once('close', () => peer.producers.delete(producer.id))
    producer.on('transportclose', () => {
      // Its transport closes when the peer leaves (leavePeer already told everyone) or when the
      // router goes (room closed or reset); anything else is news for the other peers.
      if (plane.router.closed || this.#peers.get(peerId) !== peer) return
      this.#options.publish({
        type: 'producer-closed',
        roomId: this.roomId,
        peerId,
        producerId: producer.id,
      })
    })
    // Only microphones count as speech: screen audio would make the presenter the speaker forever.
    if (source === 'microphone') await this.#observeSpeech(plane, producer)
    this.#log.debug({ peerId, producerId: producer.id, kind, source }, 'producer created')
    return { producerId: producer.id }
  }

  async consume(request: RoomRequest<'consume'>): Promise<ConsumerOptions> {
    const { peerId, producerId } = request
    const peer = this.#requirePeer(peerId)
    const producer = this.#findProducer(producerId)
    if (!producer) throw notFound('producer')
    if (peerIdOf(producer) === peerId) {
      throw new AppError(ErrorCode.BadRequest, 'a peer does not consume its own producer')
    }
    const rtpCapabilities = request.rtpCapabilities as types.RtpCapabilities
    const plane = this.#plane
    if (!plane.router.canConsume({ producerId, rtpCapabilities })) {
      throw new AppError(ErrorCode.BadRequest, 'these rtpCapabilities cannot receive this producer')
    }
    const transport = findRecvTransport(peer)
    if (!transport) throw new AppError(ErrorCode.BadRequest, 'create a recv transport first')
    // Asked again (web gave up waiting for our answer and the client retried): the same consumer.
    const existing = [...peer.consumers.values()].find((c) => c.producerId === producerId)
    if (existing) return toConsumerOptions(existing)

    // Paused until the client has set up its side and calls resumeConsumer, so no keyframe is
    // spent before anyone can decode it.
    const consumer = await transport.consume({
      producerId,
      rtpCapabilities,
      paused: true,
      appData: { peerId },
    })
    if (transport.closed || consumer.closed) {
      consumer.close()
      throw notFound('producer')
    }
    peer.consumers.set(consumer.id, consumer)
    consumer.observer.once('close', () => peer.consumers.delete(consumer.id))
    const publish = (type: 'consumer-closed' | 'consumer-paused' | 'consumer-resumed') => {
      // A departed peer or a closed/reset room has nobody left to tell.
      if (plane.router.closed || this.#peers.get(peerId) !== peer) return
      this.#options.publish({ type, roomId: this.roomId, peerId, consumerId: consumer.id })
    }
    consumer.on('producerclose', () => publish('consumer-closed'))
    consumer.on('transportclose', () => publish('consumer-closed'))
    consumer.on('producerpause', () => publish('consumer-paused'))
    consumer.on('producerresume', () => publish('consumer-resumed'))
    return toConsumerOptions(consumer)
  }

  async resumeConsumer(request: RoomRequest<'resumeConsumer'>): Promise<void> {
    await this.#requireConsumer(request.peerId, request.consumerId).resume()
  }

  async pauseConsumer(request: RoomRequest<'pauseConsumer'>): Promise<void> {
    await this.#requireConsumer(request.peerId, request.consumerId).pause()
  }

  async setConsumerPreferredLayers(
    request: RoomRequest<'setConsumerPreferredLayers'>,
  ): Promise<void> {
    await this.#requireConsumer(request.peerId, request.consumerId).setPreferredLayers({
      spatialLayer: request.spatialLayer,
      temporalLayer: request.temporalLayer,
    })
  }

  async pauseProducer(request: RoomRequest<'pauseProducer'>): Promise<void> {
    await this.#requireProducer(request.peerId, request.producerId).pause()
  }

  async resumeProducer(request: RoomRequest<'resumeProducer'>): Promise<void> {
    await this.#requireProducer(request.peerId, request.producerId).resume()
  }

  /** Closes the producer and tells the other peers, like any other end of a producer. */
  closeProducer(request: RoomRequest<'closeProducer'>): void {
    const { peerId, producerId } = request
    this.#requireProducer(peerId, producerId).close()
    this.#options.publish({ type: 'producer-closed', roomId: this.roomId, peerId, producerId })
  }

  /**
   * A chat DataProducer on the peer's SCTP send transport. The room consumes it on its
   * DirectTransport and publishes every message (`data-message`) for the web instance holding the
   * peer, which validates, authorizes and stores it; messages over CHAT_DATA_MAX_BYTES are dropped
   * here (`data-message-rejected`).
   */
  async produceData(
    request: RoomRequest<'produceData'>,
  ): Promise<MediaRpcResponses['produceData']> {
    const { peerId } = request
    const peer = this.#requirePeer(peerId)
    const transport = this.#requireWebRtcTransport(peerId, request.transportId)
    if ((transport.appData as TransportAppData).direction !== 'send') {
      throw new AppError(ErrorCode.BadRequest, 'produceData needs a send transport')
    }
    if (!transport.sctpParameters) {
      throw new AppError(ErrorCode.BadRequest, 'the transport was created without SCTP')
    }
    const plane = this.#plane
    const dataProducer = await transport.produceData({
      sctpStreamParameters: request.sctpStreamParameters as types.SctpStreamParameters,
      label: request.label,
      protocol: request.protocol,
      appData: { peerId },
    })
    if (transport.closed || this.#peers.get(peerId) !== peer) {
      dataProducer.close()
      throw notFound('transport')
    }
    // One chat channel per peer: a newer one (a retried produceData) replaces the older.
    for (const older of peer.dataProducers.values()) older.close()
    peer.dataProducers.set(dataProducer.id, dataProducer)
    dataProducer.observer.once('close', () => peer.dataProducers.delete(dataProducer.id))
    try {
      const reader = await plane.chatTransport.consumeData({ dataProducerId: dataProducer.id })
      reader.on('message', (message: Buffer) => {
        if (plane.router.closed || this.#peers.get(peerId) !== peer) return
        if (message.byteLength > CHAT_DATA_MAX_BYTES) {
          this.#options.publish({
            type: 'data-message-rejected',
            roomId: this.roomId,
            peerId,
            reason: 'too-large',
            bytes: message.byteLength,
          })
          return
        }
        this.#options.publish({
          type: 'data-message',
          roomId: this.roomId,
          peerId,
          payload: message.toString('utf8'),
        })
      })
    } catch (error) {
      dataProducer.close()
      throw error
    }
    this.#log.debug({ peerId, dataProducerId: dataProducer.id }, 'data producer created')
    return { dataProducerId: dataProducer.id }
  }

  /** The peer's DataConsumer of the room's chat DataProducer, on its newest recv transport. */
  async consumeData(request: RoomRequest<'consumeData'>): Promise<DataConsumerOptions> {
    const peer = this.#requirePeer(request.peerId)
    const transport = findRecvTransport(peer)
    if (!transport || (transport.appData as TransportAppData).isPlain) {
      throw new AppError(ErrorCode.BadRequest, 'create a recv transport first')
    }
    if (!(transport as types.WebRtcTransport).sctpParameters) {
      throw new AppError(ErrorCode.BadRequest, 'the recv transport was created without SCTP')
    }
    const plane = this.#plane
    const dataConsumer = await transport.consumeData({
      dataProducerId: plane.chatProducer.id,
      ordered: true,
    })
    if (transport.closed || this.#peers.get(peer.peerId) !== peer) {
      dataConsumer.close()
      throw notFound('transport')
    }
    peer.dataConsumers.set(dataConsumer.id, dataConsumer)
    dataConsumer.observer.once('close', () => peer.dataConsumers.delete(dataConsumer.id))
    return {
      id: dataConsumer.id,
      dataProducerId: plane.chatProducer.id,
      sctpStreamParameters: dataConsumer.sctpStreamParameters,
      label: dataConsumer.label,
      protocol: dataConsumer.protocol,
    }
  }

  /** One message to every peer's chat DataConsumer. */
  sendData(request: RoomRequest<'sendData'>): void {
    const plane = this.#plane
    if (plane.router.closed) throw new AppError(ErrorCode.Conflict, 'the room is being rebuilt')
    plane.chatProducer.send(request.payload)
  }

  /**
   * After the worker died: a new router on a live worker. Peers stay with their metadata; their
   * transports, producers and consumers went with the old router, so each client reconnects its
   * media on `room-reset`.
   */
  async resetMedia(): Promise<void> {
    const previousPid = this.#plane.workerPid
    const plane = await createMediaPlane(this.#options)
    if (this.#isClosed) {
      plane.router.close()
      return
    }
    if (plane.router.closed) throw new Error(`the new router's worker ${plane.workerPid} died too`)
    this.#plane = plane
    this.#observeSpeakers(plane)
    this.#log.warn(
      { previousWorkerPid: previousPid, workerPid: plane.workerPid, peers: this.#peers.size },
      'room media reset on a new router',
    )
    this.#options.publish({ type: 'room-reset', roomId: this.roomId })
  }

  /** Idempotent. Publishes nothing: whoever closes a room knows it is closed. */
  close(): void {
    if (this.#isClosed) return
    this.#isClosed = true
    this.#plane.router.close()
    this.#peers.clear()
    for (const timer of this.#goneTimers.values()) clearTimeout(timer)
    this.#goneTimers.clear()
    this.#log.info('room closed')
  }

  #observeSpeakers(plane: MediaPlane): void {
    plane.audioLevels.on('volumes', (volumes: types.AudioLevelObserverVolume[]) => {
      this.#options.publish({
        type: 'audio-levels',
        roomId: this.roomId,
        levels: volumes.map(({ producer, volume }) => ({ peerId: peerIdOf(producer), volume })),
      })
    })
    // mediasoup sends this once when everyone falls quiet: clear the badges.
    plane.audioLevels.on('silence', () => {
      this.#options.publish({ type: 'audio-levels', roomId: this.roomId, levels: [] })
    })
    plane.activeSpeaker.on('dominantspeaker', ({ producer }) => {
      this.#options.publish({
        type: 'active-speaker',
        roomId: this.roomId,
        peerId: peerIdOf(producer),
      })
    })
  }

  async #observeSpeech(plane: MediaPlane, producer: types.Producer): Promise<void> {
    try {
      await plane.audioLevels.addProducer({ producerId: producer.id })
      await plane.activeSpeaker.addProducer({ producerId: producer.id })
    } catch (error) {
      // Closed meanwhile, or the observer is gone with its router: the producer itself is fine.
      if (!producer.closed && !plane.router.closed) {
        this.#log.warn({ err: error, producerId: producer.id }, 'could not observe audio levels')
      }
    }
  }

  #requirePeer(peerId: string): Peer {
    const peer = this.#peers.get(peerId)
    if (!peer) throw notFound('peer')
    return peer
  }

  #requirePeerWithTransportSlot(peerId: string): Peer {
    const peer = this.#requirePeer(peerId)
    if (peer.transports.size >= MAX_TRANSPORTS_PER_PEER) {
      throw new AppError(
        ErrorCode.Conflict,
        `at most ${MAX_TRANSPORTS_PER_PEER} transports per peer`,
      )
    }
    return peer
  }

  #addTransport(peer: Peer, transport: PeerTransport): void {
    // The peer may have left (or the worker died) while mediasoup was creating it.
    if (transport.closed || this.#peers.get(peer.peerId) !== peer) {
      transport.close()
      throw notFound('peer')
    }
    peer.transports.set(transport.id, transport)
    transport.observer.once('close', () => peer.transports.delete(transport.id))
    const { direction, isPlain } = transport.appData as TransportAppData
    if (!isPlain) {
      ;(transport as types.WebRtcTransport).on('dtlsstatechange', (state) => {
        if (state === 'closed') this.#scheduleGoneCheck(peer)
      })
    }
    this.#log.debug(
      { peerId: peer.peerId, transportId: transport.id, direction, isPlain },
      'transport created',
    )
  }

  #scheduleGoneCheck(peer: Peer): void {
    if (this.#goneTimers.has(peer.peerId) || !hasClosedEveryTransport(peer)) return
    const timer = setTimeout(() => {
      this.#goneTimers.delete(peer.peerId)
      if (this.#peers.get(peer.peerId) !== peer || !hasClosedEveryTransport(peer)) return
      this.#log.info({ peerId: peer.peerId }, 'peer gone: its client closed every transport')
      this.leavePeer(peer.peerId)
      this.#options.publish({
        type: 'peer-gone',
        roomId: this.roomId,
        peerId: peer.peerId,
        userId: peer.userId,
      })
      this.#options.onPeerGone?.(this)
    }, this.#options.gonePeerGraceMs ?? GONE_PEER_GRACE_MS)
    timer.unref()
    this.#goneTimers.set(peer.peerId, timer)
  }

  #cancelGoneCheck(peerId: string): void {
    clearTimeout(this.#goneTimers.get(peerId))
    this.#goneTimers.delete(peerId)
  }

  #requireTransport(peerId: string, transportId: string): PeerTransport {
    const transport = this.#requirePeer(peerId).transports.get(transportId)
    if (!transport) throw notFound('transport')
    return transport
  }

  #requireWebRtcTransport(peerId: string, transportId: string): types.WebRtcTransport {
    const transport = this.#requireTransport(peerId, transportId)
    if ((transport.appData as TransportAppData).isPlain) {
      throw new AppError(ErrorCode.BadRequest, 'a plain RTP transport has no ICE or DTLS')
    }
    return transport as types.WebRtcTransport
  }

  #requireProducer(peerId: string, producerId: string): types.Producer {
    const producer = this.#requirePeer(peerId).producers.get(producerId)
    if (!producer) throw notFound('producer')
    return producer
  }

  #requireConsumer(peerId: string, consumerId: string): types.Consumer {
    const consumer = this.#requirePeer(peerId).consumers.get(consumerId)
    if (!consumer) throw notFound('consumer')
    return consumer
  }

  #findProducer(producerId: string): types.Producer | undefined {
    for (const peer of this.#peers.values()) {
      const producer = peer.producers.get(producerId)
      if (producer) return producer
    }
    return undefined
  }
}

function findProducerBySource(peer: Peer, source: ProducerSource): types.Producer | undefined {
  for (const producer of peer.producers.values()) {
    if ((producer.appData as ProducerAppData).source === source) return producer
  }
  return undefined
}

/** The newest recv transport: after a reconnect the client uses the one it made last. */
function findRecvTransport(peer: Peer): PeerTransport | undefined {
  let found: PeerTransport | undefined
  for (const transport of peer.transports.values()) {
    if ((transport.appData as TransportAppData).direction === 'recv') found = transport
  }
  return found
}

/** The peer had WebRTC transports and its client closed each one (a plain RTP tap does not count). */
function hasClosedEveryTransport(peer: Peer): boolean {
  const webRtc = [...peer.transports.values()].filter(
    (transport): transport is types.WebRtcTransport =>
      !(transport.appData as TransportAppData).isPlain,
  )
  return webRtc.length > 0 && webRtc.every((transport) => transport.dtlsState === 'closed')
}

function toPeerInfo(peer: Peer): PeerInfo {
  return {
    peerId: peer.peerId,
    userId: peer.userId,
    displayName: peer.displayName,
    role: peer.role,
    producers: [...peer.producers.values()].map((producer) => ({
      id: producer.id,
      kind: producer.kind,
      source: (producer.appData as ProducerAppData).source,
      paused: producer.paused,
    })),
  }
}

function toConsumerOptions(consumer: types.Consumer): ConsumerOptions {
  return {
    id: consumer.id,
    producerId: consumer.producerId,
    kind: consumer.kind,
    rtpParameters: consumer.rtpParameters,
    type: consumer.type,
    producerPaused: consumer.producerPaused,
  }
}
