// The meeting room as the browser sees it: remote peers, what they produce, what we consume, who
// speaks, our own media and the connection. A pure reducer so every transition is unit-tested;
// RoomClient feeds it from socket events and mediasoup callbacks.
import type { MediaKind, PeerInfo, ProducerSource } from '#core/protocol/media-types.ts'

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed'
export type RoomStatus = 'idle' | 'joined' | 'left' | 'ended'
export type LocalMediaProblem = 'permission-denied' | 'no-devices' | 'screen-failed' | null

export type RemotePeer = {
  peerId: string
  userId: string
  displayName: string
  role: string
}

export type RemoteProducer = {
  id: string
  peerId: string
  kind: MediaKind
  source: ProducerSource
  /** The sender paused it (a muted microphone). */
  isPaused: boolean
  consumerId: string | null
  /** The server paused our consumer (its producer paused); our own visibility pauses are not here. */
  isConsumerPaused: boolean
  track: MediaStreamTrack | null
}

export type LocalMedia = {
  isMicOn: boolean
  isCameraOn: boolean
  isScreenSharing: boolean
  micTrack: MediaStreamTrack | null
  cameraTrack: MediaStreamTrack | null
  screenTrack: MediaStreamTrack | null
  cameraId?: string
  microphoneId?: string
  speakerId?: string
  problem: LocalMediaProblem
}

export type RoomState = {
  status: RoomStatus
  connectionState: ConnectionState
  /** Why the connection failed for good (an ack error code or 'unreachable'). */
  failure: string | null
  peerId: string | null
  /** In join order: the grid keeps people where they were. */
  peers: RemotePeer[]
  producers: Record<string, RemoteProducer>
  activeSpeakerId: string | null
  /** 0..1 per peer from the latest level report; absent means silent. */
  audioLevels: Record<string, number>
  local: LocalMedia
}

export type RoomAction =
  | { type: 'joined'; peerId: string; peers: PeerInfo[] }
  | { type: 'peerJoined'; peer: PeerInfo }
  | { type: 'peerLeft'; peerId: string }
  | {
      type: 'producerAdded'
      peerId: string
      producerId: string
      kind: MediaKind
      source: ProducerSource
      paused: boolean
    }
  | { type: 'producerClosed'; producerId: string }
  | { type: 'producerPaused'; producerId: string }
  | { type: 'producerResumed'; producerId: string }
  | {
      type: 'consumerCreated'
      producerId: string
      consumerId: string
      track: MediaStreamTrack
      isPaused: boolean
    }
  | { type: 'consumerClosed'; consumerId: string }
  | { type: 'consumerPaused'; consumerId: string }
  | { type: 'consumerResumed'; consumerId: string }
  | { type: 'activeSpeaker'; peerId: string }
  | { type: 'audioLevels'; levels: { peerId: string; volume: number }[] }
  | { type: 'connection'; state: ConnectionState; failure?: string | null }
  | { type: 'local'; patch: Partial<LocalMedia> }
  | { type: 'mediaReset' }
  | { type: 'ended' }
  | { type: 'left' }

export function createInitialRoomState(local: Partial<LocalMedia> = {}): RoomState {
  return {
    status: 'idle',
    connectionState: 'connecting',
    failure: null,
    peerId: null,
    peers: [],
    producers: {},
    activeSpeakerId: null,
    audioLevels: {},
    local: {
      isMicOn: false,
      isCameraOn: false,
      isScreenSharing: false,
      micTrack: null,
      cameraTrack: null,
      screenTrack: null,
      problem: null,
      ...local,
    },
  }
}

// Levels below this read as silence; mediasoup's AudioLevelObserver reports dBov in -127..0.
const SILENCE_DBOV = -70

/** A reported volume as 0..1: dBov (≤ 0) is mapped linearly from -70 dB; 0..1 passes through. */
export function normalizeVolume(volume: number): number {
  if (!Number.isFinite(volume)) return 0
  if (volume <= 0) return Math.max(0, Math.min(1, (volume - SILENCE_DBOV) / -SILENCE_DBOV))
  return Math.min(1, volume)
}

function toRemotePeer(peer: PeerInfo): RemotePeer {
  return {
    peerId: peer.peerId,
    userId: peer.userId,
    displayName: peer.displayName,
    role: peer.role,
  }
}

function producersOf(peer: PeerInfo): Record<string, RemoteProducer> {
  const out: Record<string, RemoteProducer> = {}
  for (const producer of peer.producers) {
    out[producer.id] = {
      id: producer.id,
      peerId: peer.peerId,
      kind: producer.kind,
      source: producer.source,
      isPaused: producer.paused,
      consumerId: null,
      isConsumerPaused: false,
      track: null,
    }
  }
  return out
}

function withoutKeys<T>(record: Record<string, T>, keep: (value: T) => boolean) {
  const out: Record<string, T> = {}
  for (const [key, value] of Object.entries(record)) if (keep(value)) out[key] = value
  return out
}

function updateProducer(
  state: RoomState,
  producerId: string,
  patch: Partial<RemoteProducer>,
): RoomState {
  const producer = state.producers[producerId]
  if (!producer) return state
  return { ...state, producers: { ...state.producers, [producerId]: { ...producer, ...patch } } }
}

function findByConsumer(state: RoomState, consumerId: string): RemoteProducer | undefined {
  return Object.values(state.producers).find((producer) => producer.consumerId === consumerId)
}

/**
 * Every event may arrive twice or late (a join snapshot and a live event overlap; a producer
 * closes while we still consume it): transitions are idempotent and ignore unknown ids.
 */
export function roomReducer(state: RoomState, action: RoomAction): RoomState {
  switch (action.type) {
    case 'joined': {
      const others = action.peers.filter((peer) => peer.peerId !== action.peerId)
      return {
        ...state,
        status: 'joined',
        failure: null,
        peerId: action.peerId,
        peers: others.map(toRemotePeer),
        producers: Object.assign({}, ...others.map(producersOf)) as Record<string, RemoteProducer>,
        activeSpeakerId: null,
        audioLevels: {},
      }
    }
    case 'peerJoined': {
      if (action.peer.peerId === state.peerId) return state
      const exists = state.peers.some((peer) => peer.peerId === action.peer.peerId)
      const peers = exists
        ? state.peers.map((peer) =>
            peer.peerId === action.peer.peerId ? toRemotePeer(action.peer) : peer,
          )
        : [...state.peers, toRemotePeer(action.peer)]
      // A snapshot of producers we already track must not reset their consumers.
      const producers = { ...producersOf(action.peer), ...state.producers }
      return { ...state, peers, producers }
    }
    case 'peerLeft': {
      if (!state.peers.some((peer) => peer.peerId === action.peerId)) return state
      const { [action.peerId]: _gone, ...audioLevels } = state.audioLevels
      return {
        ...state,
        peers: state.peers.filter((peer) => peer.peerId !== action.peerId),
        producers: withoutKeys(state.producers, (producer) => producer.peerId !== action.peerId),
        activeSpeakerId: state.activeSpeakerId === action.peerId ? null : state.activeSpeakerId,
        audioLevels,
      }
    }
    case 'producerAdded': {
      if (action.peerId === state.peerId || state.producers[action.producerId]) return state
      if (!state.peers.some((peer) => peer.peerId === action.peerId)) return state
      return {
        ...state,
        producers: {
          ...state.producers,
          [action.producerId]: {
            id: action.producerId,
            peerId: action.peerId,
            kind: action.kind,
            source: action.source,
            isPaused: action.paused,
            consumerId: null,
            isConsumerPaused: false,
            track: null,
          },
        },
      }
    }
    case 'producerClosed': {
      if (!state.producers[action.producerId]) return state
      return {
        ...state,
        producers: withoutKeys(state.producers, (producer) => producer.id !== action.producerId),
      }
    }
    case 'producerPaused':
      return updateProducer(state, action.producerId, { isPaused: true })
    case 'producerResumed':
      return updateProducer(state, action.producerId, { isPaused: false })
    case 'consumerCreated':
      return updateProducer(state, action.producerId, {
        consumerId: action.consumerId,
        track: action.track,
        isConsumerPaused: action.isPaused,
      })
    case 'consumerClosed': {
      const producer = findByConsumer(state, action.consumerId)
      if (!producer) return state
      return updateProducer(state, producer.id, {
        consumerId: null,
        track: null,
        isConsumerPaused: false,
      })
    }
    case 'consumerPaused':
    case 'consumerResumed': {
      const producer = findByConsumer(state, action.consumerId)
      if (!producer) return state
      return updateProducer(state, producer.id, {
        isConsumerPaused: action.type === 'consumerPaused',
      })
    }
    case 'activeSpeaker':
      if (state.activeSpeakerId === action.peerId) return state
      return { ...state, activeSpeakerId: action.peerId }
    case 'audioLevels': {
      const audioLevels: Record<string, number> = {}
      for (const { peerId, volume } of action.levels) {
        const level = normalizeVolume(volume)
        if (level > 0) audioLevels[peerId] = level
      }
      return { ...state, audioLevels }
    }
    case 'connection':
      if (state.connectionState === action.state && action.failure === undefined) return state
      return {
        ...state,
        connectionState: action.state,
        failure: action.failure === undefined ? state.failure : action.failure,
      }
    case 'local':
      return { ...state, local: { ...state.local, ...action.patch } }
    case 'mediaReset':
      // The SFU lost every producer; peers stay and announce their new ones.
      return { ...state, producers: {}, activeSpeakerId: null, audioLevels: {} }
    case 'ended':
    case 'left':
      return {
        ...state,
        status: action.type,
        peers: [],
        producers: {},
        activeSpeakerId: null,
        audioLevels: {},
      }
  }
}

export type Participant = RemotePeer & {
  microphone?: RemoteProducer
  camera?: RemoteProducer
  screen?: RemoteProducer
  screenAudio?: RemoteProducer
  isMuted: boolean
  /** The camera is on and we hold its track. */
  hasVideo: boolean
  level: number
  isActiveSpeaker: boolean
}

const sourceKey = {
  microphone: 'microphone',
  camera: 'camera',
  screen: 'screen',
  'screen-audio': 'screenAudio',
} as const

/** Remote peers with their producers, in join order. */
export function selectParticipants(state: RoomState): Participant[] {
  const byPeer = new Map<
    string,
    Partial<Record<(typeof sourceKey)[ProducerSource], RemoteProducer>>
  >()
  for (const producer of Object.values(state.producers)) {
    const entry = byPeer.get(producer.peerId) ?? {}
    entry[sourceKey[producer.source]] = producer
    byPeer.set(producer.peerId, entry)
  }
  return state.peers.map((peer) => {
    const media = byPeer.get(peer.peerId) ?? {}
    const camera = media.camera
    return {
      ...peer,
      ...media,
      isMuted: !media.microphone || media.microphone.isPaused,
      hasVideo: Boolean(camera && !camera.isPaused && camera.track),
      level: state.audioLevels[peer.peerId] ?? 0,
      isActiveSpeaker: state.activeSpeakerId === peer.peerId,
    }
  })
}
