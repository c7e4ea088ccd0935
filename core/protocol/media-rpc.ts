// The internal RPC from web instances to a media-node: one zod schema per method (validated by the
// media-node before anything else runs) and the TypeScript shape of each answer. Every method names
// the room and the peer; the media-node refuses ids that belong to another peer or room.
//
// Transport: HTTP POST /rpc/<method> with a JSON body, authenticated by an HMAC-SHA256 of
// `${timestamp}.${method}.${body}` with MEDIA_RPC_SECRET (headers below); see docs/decisions/0006-media-rpc.md.
import { z } from 'zod'
import type { Ack } from './ack.ts'
import { CHAT_DATA_LABEL, CHAT_DATA_MAX_BYTES } from './chat.ts'
import {
  DtlsParametersSchema,
  IdSchema,
  MediaKindSchema,
  ProducerSourceSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
  SctpStreamParametersSchema,
  TransportDirectionSchema,
  type ConsumerOptions,
  type DataConsumerOptions,
  type PeerInfo,
  type TransportOptions,
} from './media-types.ts'

export const MEDIA_RPC_TIMESTAMP_HEADER = 'x-vstrecha-timestamp'
export const MEDIA_RPC_SIGNATURE_HEADER = 'x-vstrecha-signature'
/** Requests older (or newer) than this are refused, so a captured request cannot be replayed later. */
export const MEDIA_RPC_MAX_SKEW_MS = 30_000
/**
 * Idle keep-alive connections: the node keeps one this long, web drops its own at half that. Web's
 * event loop lags when its machine is busy; with a margin of a second (Node's default) it then sends
 * on a connection the node has just closed, and the call fails as if the node were gone.
 */
export const MEDIA_RPC_NODE_IDLE_MS = 60_000
export const MEDIA_RPC_WEB_IDLE_MS = MEDIA_RPC_NODE_IDLE_MS / 2
/** A stored chat message with its envelope and sender's name: a few KiB above the client's limit. */
export const CHAT_ROOM_DATA_MAX_BYTES = 64 * 1024

const Peer = { roomId: IdSchema, peerId: IdSchema }
const UserIdSchema = z.string().min(1).max(64)

export const MediaRpcRequestSchemas = {
  joinRoom: z.object({
    ...Peer,
    userId: UserIdSchema,
    displayName: z.string().min(1).max(80),
    role: z.string().min(1).max(32),
  }),
  createWebRtcTransport: z.object({
    ...Peer,
    direction: TransportDirectionSchema,
    enableSctp: z.boolean().default(false),
  }),
  connectTransport: z.object({
    ...Peer,
    transportId: IdSchema,
    dtlsParameters: DtlsParametersSchema,
  }),
  restartIce: z.object({ ...Peer, transportId: IdSchema }),
  produce: z.object({
    ...Peer,
    transportId: IdSchema,
    kind: MediaKindSchema,
    rtpParameters: RtpParametersSchema,
    source: ProducerSourceSchema,
    paused: z.boolean().default(false),
  }),
  consume: z.object({ ...Peer, producerId: IdSchema, rtpCapabilities: RtpCapabilitiesSchema }),
  resumeConsumer: z.object({ ...Peer, consumerId: IdSchema }),
  pauseConsumer: z.object({ ...Peer, consumerId: IdSchema }),
  setConsumerPreferredLayers: z.object({
    ...Peer,
    consumerId: IdSchema,
    spatialLayer: z.number().int().min(0).max(2),
    temporalLayer: z.number().int().min(0).max(2).optional(),
  }),
  pauseProducer: z.object({ ...Peer, producerId: IdSchema }),
  resumeProducer: z.object({ ...Peer, producerId: IdSchema }),
  closeProducer: z.object({ ...Peer, producerId: IdSchema }),
  /** A chat DataProducer on the peer's SCTP send transport; the room reads it on the node. */
  produceData: z.object({
    ...Peer,
    transportId: IdSchema,
    sctpStreamParameters: SctpStreamParametersSchema,
    label: z.literal(CHAT_DATA_LABEL),
    protocol: z.string().max(64).default(''),
  }),
  /** The peer's DataConsumer of the room's own DataProducer (server → clients chat). */
  consumeData: z.object(Peer),
  /** Sends one message to every peer's DataConsumer of the room's DataProducer. */
  sendData: z.object({
    roomId: IdSchema,
    payload: z.string().min(1).max(CHAT_ROOM_DATA_MAX_BYTES),
  }),
  leaveRoom: z.object(Peer),
  closeRoom: z.object({ roomId: IdSchema }),
  /** Everyone in the room with their producers (moderation finds a person's microphone here). */
  listPeers: z.object({ roomId: IdSchema }),
} as const

export type MediaRpcMethod = keyof typeof MediaRpcRequestSchemas
export type MediaRpcRequest<M extends MediaRpcMethod> = z.input<(typeof MediaRpcRequestSchemas)[M]>

export type MediaRpcResponses = {
  joinRoom: { rtpCapabilities: unknown; peers: PeerInfo[] }
  createWebRtcTransport: TransportOptions
  connectTransport: Record<string, never>
  restartIce: { iceParameters: unknown }
  produce: { producerId: string }
  consume: ConsumerOptions
  resumeConsumer: Record<string, never>
  pauseConsumer: Record<string, never>
  setConsumerPreferredLayers: Record<string, never>
  pauseProducer: Record<string, never>
  resumeProducer: Record<string, never>
  closeProducer: Record<string, never>
  produceData: { dataProducerId: string }
  consumeData: DataConsumerOptions
  sendData: Record<string, never>
  leaveRoom: Record<string, never>
  closeRoom: Record<string, never>
  listPeers: { peers: PeerInfo[] }
}

export type MediaRpcResult<M extends MediaRpcMethod> = Ack<MediaRpcResponses[M]>

/**
 * Events a media-node publishes on the Redis channel `${REDIS_PREFIX}media:events`; every web
 * instance delivers each one to its own sockets in that room (`io.local`), so nothing is doubled.
 */
export const MediaEventSchema = z.discriminatedUnion('type', [
  /** A producer ended on the SFU side (its transport closed, its worker died…). */
  z.object({
    type: z.literal('producer-closed'),
    roomId: IdSchema,
    peerId: IdSchema,
    producerId: IdSchema,
  }),
  /** A consumer ended because its producer did; tell only the consuming peer. */
  z.object({
    type: z.literal('consumer-closed'),
    roomId: IdSchema,
    peerId: IdSchema,
    consumerId: IdSchema,
  }),
  z.object({
    type: z.literal('consumer-paused'),
    roomId: IdSchema,
    peerId: IdSchema,
    consumerId: IdSchema,
  }),
  z.object({
    type: z.literal('consumer-resumed'),
    roomId: IdSchema,
    peerId: IdSchema,
    consumerId: IdSchema,
  }),
  z.object({ type: z.literal('active-speaker'), roomId: IdSchema, peerId: IdSchema }),
  z.object({
    type: z.literal('audio-levels'),
    roomId: IdSchema,
    levels: z.array(z.object({ peerId: IdSchema, volume: z.number() })).max(100),
  }),
  /** A peer's chat DataProducer sent this text; the web instance holding the peer handles it. */
  z.object({
    type: z.literal('data-message'),
    roomId: IdSchema,
    peerId: IdSchema,
    payload: z.string().max(CHAT_DATA_MAX_BYTES),
  }),
  /** The node dropped a message of that peer: bigger than CHAT_DATA_MAX_BYTES. */
  z.object({
    type: z.literal('data-message-rejected'),
    roomId: IdSchema,
    peerId: IdSchema,
    reason: z.literal('too-large'),
    bytes: z.number().int().min(0),
  }),
  /**
   * The node removed a peer whose client closed all its transports without a leave arriving (its
   * web instance may have died): the others drop it, and its attendance ends.
   */
  z.object({ type: z.literal('peer-gone'), ...Peer, userId: UserIdSchema }),
  /** The room's worker died and the room was rebuilt elsewhere: every peer reconnects its media. */
  z.object({ type: z.literal('room-reset'), roomId: IdSchema }),
])
export type MediaEvent = z.infer<typeof MediaEventSchema>

export const mediaEventsChannel = (redisPrefix: string) => `${redisPrefix}media:events`
