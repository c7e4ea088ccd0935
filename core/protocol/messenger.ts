// The messenger on the wire: direct chats, groups, announcement channels and meeting chats (the same
// conversation/message tables as the meeting chat, core/protocol/chat.ts). Every client event is a
// request with an ack ({ ok: true, data } | { ok: false, code, message }); ids and membership are
// always checked against the database, never trusted from the payload.
//
// FINAL EVENT NAMES. The meeting chat already owns `chat:send`/`chat:history`/`chat:message`, so
// every messenger event uses the `messenger:` prefix (client → server and server → client alike):
//
// Client → server (request/ack; payload schema below, result in MessengerEventResults):
//   messenger:list            {}                                          → { conversations }
//   messenger:open            { conversationId }                          → { conversation, members, pinned }
//   messenger:messages        { conversationId, beforeSeq? | afterSeq?, limit? } → { messages, hasMore }
//   messenger:post            { conversationId, body, idempotencyKey, replyToId?, attachmentIds?, mentionIds? } → { message }
//   messenger:edit            { messageId, body, mentionIds? }            → { message }
//   messenger:delete          { messageId }                               → { message }
//   messenger:react           { messageId, emoji, on }                    → { message }
//   messenger:forward         { messageId, toConversationId, idempotencyKey } → { message }
//   messenger:pin             { messageId, on }                           → { message }
//   messenger:read            { conversationId, seq }                     → { lastReadSeq, unreadCount }
//   messenger:typing          { conversationId }                          → {}   (volatile fan-out)
//   messenger:createDirect    { userId }                                  → { conversation }
//   messenger:createGroup     { title, memberIds }                        → { conversation }
//   messenger:createChannel   { title, isPublic, description?, memberIds? } → { conversation }
//   messenger:update          { conversationId, title?, description? }    → { conversation }
//   messenger:addMembers      { conversationId, userIds }                 → { conversation }
//   messenger:removeMember    { conversationId, userId } (self = leave)   → {}
//   messenger:setMemberRole   { conversationId, userId, role }            → {}
//   messenger:directory       {}                                          → { channels, people }
//   messenger:join            { conversationId }  (public channel)        → { conversation }
//   messenger:search          { query, limit? }                           → { hits }
//   messenger:presence        { userIds }                                 → { presence }
//   messenger:setPresence     { status: 'online' | 'away' }               → {}
//
// Server → client:
//   messenger:message         { message }          a new message in one of my conversations
//   messenger:messageUpdated  { message }          edited / deleted / reactions / pin changed
//   messenger:read            { conversationId, userId, seq }  someone (maybe me in another tab) read up to seq
//   messenger:typing          { conversationId, userId, name } volatile; show ~5 s (TYPING_DISPLAY_MS)
//   messenger:conversation    { conversation }     created / renamed / membership changed (my own summary)
//   messenger:removed         { conversationId }   I was removed from (or left) a conversation
//   messenger:mention         { conversationId, message } I was @mentioned (toast/notification)
//   presence                  { userId, status }   'online' | 'away' | 'offline'
//
// Catch-up after a reconnect: `messenger:messages { conversationId, afterSeq: lastSeenSeq }` per open
// conversation until hasMore is false, and `messenger:list` for everything else (lastSeq/unreadCount).
// Messages are ordered by `seq` (1, 2, 3… per conversation); a client drops any seq it already has.
//
// Attachments over HTTP (same-origin, session cookie):
//   POST /api/attachments   raw body (the file's bytes), header `X-File-Name: <encodeURIComponent(name)>`
//                           → 201 { attachment } | 4xx { code, message }. Upload first, then post the
//                           message with attachmentIds. Progress: XMLHttpRequest upload.onprogress.
//   GET  /api/attachments/:id            the file (images inline; everything else as a download)
//   GET  /api/attachments/:id/thumbnail  a JPEG/PNG/WebP preview for images (404 when none)
import { z } from 'zod'
import { IdempotencyKeySchema } from './chat.ts'

/** Characters of a message body after trimming (the database checks the same). */
export const MESSENGER_BODY_MAX_CHARS = 4000
export const MESSENGER_PAGE_DEFAULT_LIMIT = 50
export const MESSENGER_PAGE_MAX_LIMIT = 100
export const MESSENGER_SEARCH_MAX_LIMIT = 50
/** Attachments on one message. */
export const MESSENGER_MAX_ATTACHMENTS = 10
/** Largest upload, bytes (the server's ATTACHMENT_MAX_BYTES may lower it, never raise it past this). */
export const ATTACHMENT_DEFAULT_MAX_BYTES = 25 * 1024 * 1024
/** How long a client shows "X is typing" after the last messenger:typing (the sender repeats every ~3 s). */
export const TYPING_DISPLAY_MS = 5_000
/** The client sends messenger:typing at most this often while the user types. */
export const TYPING_THROTTLE_MS = 3_000
/** Members of a group/channel at creation and per addMembers call. */
export const MESSENGER_MAX_MEMBERS_PER_CALL = 500

export type ConversationKind = 'direct' | 'group' | 'channel' | 'meeting'
export type MemberRole = 'admin' | 'member'
export type PresenceStatus = 'online' | 'away' | 'offline'

export type LastMessagePreview = {
  seq: number
  senderId: string
  senderName: string
  /** Up to ~120 characters of the body; '' when deleted. */
  excerpt: string
  createdAt: string
  isDeleted: boolean
  hasAttachments: boolean
}

export type ConversationSummary = {
  id: string
  kind: ConversationKind
  /** Group/channel/meeting title; for a direct chat, the other person's name. */
  title: string
  /** What the initials avatar is drawn from (equals title today). */
  avatarName: string
  /** Channel description ('' when none). */
  description: string
  /** Channels: listed in the organization directory and joinable by anyone in it. */
  isPublic: boolean
  memberCount: number
  lastMessage: LastMessagePreview | null
  lastSeq: number
  lastReadSeq: number
  unreadCount: number
  myRole: MemberRole
  /** Channels: only admins post. Everything else: every member. */
  canPost: boolean
  /** Groups/channels: admins add/remove members, change their roles, rename and describe. */
  canManage: boolean
  /** Groups, channels and meeting chats: admins delete anyone's message (everyone: their own). */
  canDeleteOthers: boolean
  /** Direct chats: the other person. */
  directUserId: string | null
  meetingId: string | null
  createdAt: string
  /** Time of the last message (or creation): the list is sorted by it, newest first. */
  updatedAt: string
}

export type ConversationMemberInfo = {
  userId: string
  name: string
  email: string
  role: MemberRole
  lastReadSeq: number
}

export type AttachmentInfo = {
  id: string
  name: string
  size: number
  /** Detected from the content, not the name. */
  mime: string
  isImage: boolean
  /** Shown inline (safe raster images); everything else is served as a download. */
  isInline: boolean
  width: number | null
  height: number | null
  hasThumbnail: boolean
  /** `/api/attachments/:id` */
  url: string
  /** `/api/attachments/:id/thumbnail` or null */
  thumbnailUrl: string | null
}

export type ReplyPreview = {
  id: string
  seq: number
  senderName: string
  /** Up to ~120 characters; '' when the original was deleted. */
  excerpt: string
  isDeleted: boolean
}

export type ForwardedFrom = {
  conversationTitle: string
  senderName: string
  /** The original's creation time. */
  createdAt: string
}

export type ReactionSummary = { emoji: string; count: number; userIds: string[] }

export type MessengerMessage = {
  id: string
  conversationId: string
  seq: number
  sender: { id: string; name: string }
  /** Markdown-subset source text (bold, italic, code, links, lists); render safely. '' when deleted. */
  body: string
  createdAt: string
  editedAt: string | null
  deletedAt: string | null
  replyTo: ReplyPreview | null
  forwardedFrom: ForwardedFrom | null
  reactions: ReactionSummary[]
  attachments: AttachmentInfo[]
  /** Users @mentioned (members of the conversation at the time). */
  mentions: string[]
  isPinned: boolean
  /** The sender's idempotency key (lets the sender's tabs match a pending bubble to its message). */
  idempotencyKey: string
}

export type DirectoryChannel = {
  id: string
  title: string
  description: string
  memberCount: number
  isMember: boolean
}

export type DirectoryPerson = { userId: string; name: string; email: string }

export type SearchHit = {
  message: MessengerMessage
  conversationTitle: string
  /** The body with matches wrapped in «[[» and «]]» (plain text, escape before rendering). */
  highlight: string
}

export const HIGHLIGHT_START = '[['
export const HIGHLIGHT_END = ']]'

const UuidSchema = z.uuid()
const UserIdSchema = z.string().min(1).max(64)

export const MessengerBodySchema = z
  .string()
  .trim()
  .min(1, 'Message is empty')
  .max(MESSENGER_BODY_MAX_CHARS, `Message is longer than ${MESSENGER_BODY_MAX_CHARS} characters`)

const TitleSchema = z.string().trim().min(1, 'Title is empty').max(200, 'Title is too long')
const DescriptionSchema = z.string().trim().max(1000, 'Description is too long')
/** One emoji (a grapheme cluster; a few code points at most). */
export const EmojiSchema = z
  .string()
  .min(1)
  .max(32)
  .refine((value) => !/[\s<>&"']/.test(value), 'Not an emoji')
const MentionIdsSchema = z.array(UserIdSchema).max(50).optional()

export const MessengerEventSchemas = {
  'messenger:list': z.object({}),
  'messenger:open': z.object({ conversationId: UuidSchema }),
  'messenger:messages': z
    .object({
      conversationId: UuidSchema,
      beforeSeq: z.number().int().min(1).optional(),
      afterSeq: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(MESSENGER_PAGE_MAX_LIMIT).optional(),
    })
    .refine((value) => value.beforeSeq === undefined || value.afterSeq === undefined, {
      message: 'Give beforeSeq or afterSeq, not both',
    }),
  'messenger:post': z.object({
    conversationId: UuidSchema,
    body: MessengerBodySchema,
    idempotencyKey: IdempotencyKeySchema,
    replyToId: UuidSchema.optional(),
    attachmentIds: z.array(UuidSchema).max(MESSENGER_MAX_ATTACHMENTS).optional(),
    mentionIds: MentionIdsSchema,
  }),
  'messenger:edit': z.object({
    messageId: UuidSchema,
    body: MessengerBodySchema,
    mentionIds: MentionIdsSchema,
  }),
  'messenger:delete': z.object({ messageId: UuidSchema }),
  'messenger:react': z.object({ messageId: UuidSchema, emoji: EmojiSchema, on: z.boolean() }),
  'messenger:forward': z.object({
    messageId: UuidSchema,
    toConversationId: UuidSchema,
    idempotencyKey: IdempotencyKeySchema,
  }),
  'messenger:pin': z.object({ messageId: UuidSchema, on: z.boolean() }),
  'messenger:read': z.object({ conversationId: UuidSchema, seq: z.number().int().min(0) }),
  'messenger:typing': z.object({ conversationId: UuidSchema }),
  'messenger:createDirect': z.object({ userId: UserIdSchema }),
  'messenger:createGroup': z.object({
    title: TitleSchema,
    memberIds: z.array(UserIdSchema).max(MESSENGER_MAX_MEMBERS_PER_CALL),
  }),
  'messenger:createChannel': z.object({
    title: TitleSchema,
    isPublic: z.boolean(),
    description: DescriptionSchema.optional(),
    memberIds: z.array(UserIdSchema).max(MESSENGER_MAX_MEMBERS_PER_CALL).optional(),
  }),
  'messenger:update': z.object({
    conversationId: UuidSchema,
    title: TitleSchema.optional(),
    description: DescriptionSchema.optional(),
  }),
  'messenger:addMembers': z.object({
    conversationId: UuidSchema,
    userIds: z.array(UserIdSchema).min(1).max(MESSENGER_MAX_MEMBERS_PER_CALL),
  }),
  'messenger:removeMember': z.object({ conversationId: UuidSchema, userId: UserIdSchema }),
  'messenger:setMemberRole': z.object({
    conversationId: UuidSchema,
    userId: UserIdSchema,
    role: z.enum(['admin', 'member']),
  }),
  'messenger:directory': z.object({}),
  'messenger:join': z.object({ conversationId: UuidSchema }),
  'messenger:search': z.object({
    query: z.string().trim().min(1, 'Search is empty').max(200),
    limit: z.number().int().min(1).max(MESSENGER_SEARCH_MAX_LIMIT).optional(),
  }),
  'messenger:presence': z.object({ userIds: z.array(UserIdSchema).max(500) }),
  'messenger:setPresence': z.object({ status: z.enum(['online', 'away']) }),
} as const

type Empty = Record<string, never>

export type MessengerEventResults = {
  'messenger:list': { conversations: ConversationSummary[] }
  'messenger:open': {
    conversation: ConversationSummary
    members: ConversationMemberInfo[]
    pinned: MessengerMessage[]
  }
  'messenger:messages': { messages: MessengerMessage[]; hasMore: boolean }
  'messenger:post': { message: MessengerMessage }
  'messenger:edit': { message: MessengerMessage }
  'messenger:delete': { message: MessengerMessage }
  'messenger:react': { message: MessengerMessage }
  'messenger:forward': { message: MessengerMessage }
  'messenger:pin': { message: MessengerMessage }
  'messenger:read': { lastReadSeq: number; unreadCount: number }
  'messenger:typing': Empty
  'messenger:createDirect': { conversation: ConversationSummary }
  'messenger:createGroup': { conversation: ConversationSummary }
  'messenger:createChannel': { conversation: ConversationSummary }
  'messenger:update': { conversation: ConversationSummary }
  'messenger:addMembers': { conversation: ConversationSummary }
  'messenger:removeMember': Empty
  'messenger:setMemberRole': Empty
  'messenger:directory': { channels: DirectoryChannel[]; people: DirectoryPerson[] }
  'messenger:join': { conversation: ConversationSummary }
  'messenger:search': { hits: SearchHit[] }
  'messenger:presence': { presence: { userId: string; status: PresenceStatus }[] }
  'messenger:setPresence': Empty
}

export type MessengerServerEvents = {
  'messenger:message': { message: MessengerMessage }
  /**
   * Several new messages of one conversation in one frame, ascending seq (committed together): the
   * same as a `messenger:message` for each, in order.
   */
  'messenger:messageBatch': { conversationId: string; messages: MessengerMessage[] }
  'messenger:messageUpdated': { message: MessengerMessage }
  'messenger:read': { conversationId: string; userId: string; seq: number }
  'messenger:typing': { conversationId: string; userId: string; name: string }
  'messenger:conversation': { conversation: ConversationSummary }
  'messenger:removed': { conversationId: string }
  'messenger:mention': { conversationId: string; message: MessengerMessage }
  presence: { userId: string; status: PresenceStatus }
}

/** Upload answer of POST /api/attachments. */
export type AttachmentUploadResult = { attachment: AttachmentInfo }
export const ATTACHMENT_NAME_HEADER = 'x-file-name'
