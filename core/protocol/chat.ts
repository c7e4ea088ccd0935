// Meeting chat on the wire (docs/decisions/0010-meeting-chat-datachannel.md): the stored message as
// clients see it, and the JSON that travels over the meeting's SCTP DataChannels. Client → server
// goes through the sender's DataProducer to the media-node, which hands it to web; server → clients
// goes through the room's own DataProducer that every client consumes.
import { z } from 'zod'
import type { ErrorCode } from '../errors.ts'
import { IdSchema, SctpStreamParametersSchema, type DataConsumerOptions } from './media-types.ts'

/** The label of every chat DataProducer/DataConsumer (the node refuses others). */
export const CHAT_DATA_LABEL = 'chat'
/** Characters of a message body after trimming (the database checks the same). */
export const CHAT_MESSAGE_MAX_CHARS = 4000
/**
 * Bytes of one DataChannel message the media-node passes on: a 4000-character body is at most
 * 12 000 bytes of UTF-8 plus a small JSON envelope. Bigger ones are dropped at the node.
 */
export const CHAT_DATA_MAX_BYTES = 16 * 1024
/** History page size when the client does not ask for one, and the most it may ask for. */
export const CHAT_HISTORY_DEFAULT_LIMIT = 50
export const CHAT_HISTORY_MAX_LIMIT = 100

export type ChatMessage = {
  id: string
  /** 1, 2, 3… within the conversation: the order everyone sees. */
  seq: number
  senderId: string
  senderName: string
  body: string
  /** ISO time the server stored it. */
  createdAt: string
  idempotencyKey: string
}

export const ChatBodySchema = z
  .string()
  .trim()
  .min(1, 'Message is empty')
  .max(CHAT_MESSAGE_MAX_CHARS, `Message is longer than ${CHAT_MESSAGE_MAX_CHARS} characters`)

/** The client makes one per message and reuses it for every retry of that message. */
export const IdempotencyKeySchema = z.uuid()

/** What a client sends over its chat DataProducer. */
export const ChatDataSendSchema = z.object({
  type: z.literal('send'),
  body: ChatBodySchema,
  idempotencyKey: IdempotencyKeySchema,
})
export type ChatDataSend = z.input<typeof ChatDataSendSchema>

/** What the server sends to everyone over the room's DataProducer. */
export type ChatDataServerMessage = { type: 'message'; message: ChatMessage }

/** Chat's client events (spread into ClientEventSchemas in signaling.ts); all need media:join. */
export const ChatEventSchemas = {
  /** The chat DataProducer of the client's SCTP send transport (from its 'producedata'). */
  'media:produceData': z.object({
    transportId: IdSchema,
    sctpStreamParameters: SctpStreamParametersSchema,
    label: z.literal(CHAT_DATA_LABEL),
    protocol: z.string().max(64).default(''),
  }),
  /** A DataConsumer of the room's chat DataProducer on the client's SCTP recv transport. */
  'media:consumeData': z.object({}),
  /** The fallback when SCTP is not available, and the API for anything not in a browser. */
  'chat:send': z.object({ body: ChatBodySchema, idempotencyKey: IdempotencyKeySchema }),
  /** Without a cursor: the newest page. beforeSeq pages back; afterSeq catches up. */
  'chat:history': z
    .object({
      beforeSeq: z.number().int().min(1).optional(),
      afterSeq: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(CHAT_HISTORY_MAX_LIMIT).optional(),
    })
    .refine((value) => value.beforeSeq === undefined || value.afterSeq === undefined, {
      message: 'Give beforeSeq or afterSeq, not both',
    }),
} as const

export type ChatEventResults = {
  'media:produceData': { dataProducerId: string }
  'media:consumeData': DataConsumerOptions
  'chat:send': { message: ChatMessage }
  'chat:history': { messages: ChatMessage[]; hasMore: boolean }
}

export type ChatServerEvents = {
  /** A new message, to sockets that have no chat DataConsumer (they get it over SCTP instead). */
  'chat:message': { message: ChatMessage }
  /**
   * A message this socket sent over its DataChannel was not stored (chat off, too fast, too long).
   * idempotencyKey is null when the node dropped it unread (larger than CHAT_DATA_MAX_BYTES).
   */
  'chat:rejected': { idempotencyKey: string | null; code: ErrorCode; message: string }
}
