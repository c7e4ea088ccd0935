// socket.io signaling between the browser and web: one zod schema per client event (validated by
// its handler before anything runs), the payload of every server event, and the typed event maps
// both socket.io ends use. The room, the peer and the role always come from the server side of the
// socket (set at `media:join` from the database), never from a payload.
import { z } from 'zod'
import type { Ack } from './ack.ts'
import { ChatEventSchemas, type ChatEventResults, type ChatServerEvents } from './chat.ts'
import {
  MeetingControlEventSchemas,
  type MeetingControlEventResults,
  type MeetingControlServerEvents,
} from './meeting-control.ts'
import {
  DtlsParametersSchema,
  IdSchema,
  MediaKindSchema,
  ProducerSourceSchema,
  RtpCapabilitiesSchema,
  RtpParametersSchema,
  TransportDirectionSchema,
  type ConsumerOptions,
  type MediaKind,
  type PeerInfo,
  type ProducerSource,
  type TransportOptions,
} from './media-types.ts'
import {
  MessengerEventSchemas,
  type MessengerEventResults,
  type MessengerServerEvents,
} from './messenger.ts'

export const ClientEventSchemas = {
  'media:join': z.object({ inviteCode: z.string().regex(/^[A-Za-z0-9_-]{24}$/) }),
  'media:createTransport': z.object({
    direction: TransportDirectionSchema,
    enableSctp: z.boolean().default(false),
  }),
  'media:connectTransport': z.object({
    transportId: IdSchema,
    dtlsParameters: DtlsParametersSchema,
  }),
  'media:restartIce': z.object({ transportId: IdSchema }),
  'media:produce': z.object({
    transportId: IdSchema,
    kind: MediaKindSchema,
    rtpParameters: RtpParametersSchema,
    source: ProducerSourceSchema,
    paused: z.boolean().default(false),
  }),
  'media:consume': z.object({ producerId: IdSchema, rtpCapabilities: RtpCapabilitiesSchema }),
  'media:resumeConsumer': z.object({ consumerId: IdSchema }),
  'media:pauseConsumer': z.object({ consumerId: IdSchema }),
  'media:setPreferredLayers': z.object({
    consumerId: IdSchema,
    spatialLayer: z.number().int().min(0).max(2),
    temporalLayer: z.number().int().min(0).max(2).optional(),
  }),
  'media:pauseProducer': z.object({ producerId: IdSchema }),
  'media:resumeProducer': z.object({ producerId: IdSchema }),
  'media:closeProducer': z.object({ producerId: IdSchema }),
  'media:leave': z.object({}),
  'meeting:end': z.object({}),
  // Settings, roles, lobby, moderation, hands, reactions (core/protocol/meeting-control.ts).
  ...MeetingControlEventSchemas,
  // Meeting chat: DataChannels through the SFU, socket fallback, history (core/protocol/chat.ts).
  ...ChatEventSchemas,
  // Messenger: conversations, messages, read markers, presence (core/protocol/messenger.ts).
  ...MessengerEventSchemas,
} as const

export type ClientEvent = keyof typeof ClientEventSchemas
export type ClientPayload<E extends ClientEvent> = z.input<(typeof ClientEventSchemas)[E]>

export type ClientEventResults = {
  'media:join': {
    peerId: string
    routerRtpCapabilities: unknown
    /** Everyone already in the room, with what they produce. */
    peers: PeerInfo[]
  }
  'media:createTransport': TransportOptions
  'media:connectTransport': Record<string, never>
  'media:restartIce': { iceParameters: unknown }
  'media:produce': { producerId: string }
  'media:consume': ConsumerOptions
  'media:resumeConsumer': Record<string, never>
  'media:pauseConsumer': Record<string, never>
  'media:setPreferredLayers': Record<string, never>
  'media:pauseProducer': Record<string, never>
  'media:resumeProducer': Record<string, never>
  'media:closeProducer': Record<string, never>
  'media:leave': Record<string, never>
  'meeting:end': Record<string, never>
} & MeetingControlEventResults &
  ChatEventResults &
  MessengerEventResults

export type ServerEventPayloads = {
  'media:peerJoined': { peer: PeerInfo }
  'media:peerLeft': { peerId: string }
  'media:newProducer': {
    peerId: string
    producerId: string
    kind: MediaKind
    source: ProducerSource
    paused: boolean
  }
  'media:producerClosed': { peerId: string; producerId: string }
  'media:producerPaused': { peerId: string; producerId: string }
  'media:producerResumed': { peerId: string; producerId: string }
  'media:consumerClosed': { consumerId: string }
  'media:consumerPaused': { consumerId: string }
  'media:consumerResumed': { consumerId: string }
  'media:activeSpeaker': { peerId: string }
  /** Volatile and throttled: only the latest matters. */
  'media:audioLevels': { levels: { peerId: string; volume: number }[] }
  /** The SFU side of the room was rebuilt: recreate transports, re-produce and re-consume. */
  'media:reconnect': { reason: 'room-reset' }
  'meeting:ended': Record<string, never>
} & MeetingControlServerEvents &
  ChatServerEvents &
  MessengerServerEvents

export type ClientToServerEvents = {
  [E in ClientEvent]: (
    payload: ClientPayload<E>,
    ack: (result: Ack<ClientEventResults[E]>) => void,
  ) => void
}
export type ServerToClientEvents = {
  [E in keyof ServerEventPayloads]: (payload: ServerEventPayloads[E]) => void
}

/** Socket.io room names, in one place. */
export const socketRooms = {
  user: (userId: string) => `user:${userId}`,
  /** Sockets of a messenger conversation's members (joined on connect and on joining it). */
  conversation: (conversationId: string) => `conversation:${conversationId}`,
  meeting: (meetingId: string) => `meeting:${meetingId}`,
  peer: (peerId: string) => `peer:${peerId}`,
  /** Organizer and co-hosts of a meeting who are in it (they hear lobby:changed). */
  moderators: (meetingId: string) => `moderators:${meetingId}`,
  /** Sockets of a meeting whose chat arrives over their DataConsumer, not as chat:message. */
  chatData: (meetingId: string) => `chat-data:${meetingId}`,
}
