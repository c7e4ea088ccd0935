// Conversations and messages (docs/decisions/0010-meeting-chat-datachannel.md). A meeting's chat is
// a conversation linked to the meeting, created on first need; everyone admitted to the meeting
// becomes a member. The messenger will list the same conversations.
import type { SelectQueryBuilder } from 'kysely'
import type { Database } from '#core/db/client.ts'
import type { Conversation, DB } from '#core/db/types.ts'
import { AppError } from '#core/errors.ts'
import {
  CHAT_HISTORY_DEFAULT_LIMIT,
  CHAT_HISTORY_MAX_LIMIT,
  ChatBodySchema,
  IdempotencyKeySchema,
  type ChatMessage,
} from '#core/protocol/chat.ts'
import type { MemberRole } from '#core/protocol/messenger.ts'

/** The meeting's conversation, created with its first use (concurrent callers get the same row). */
export async function getOrCreateMeetingConversation(options: {
  db: Database
  meetingId: string
}): Promise<Conversation> {
  const { db, meetingId } = options
  const existing = await findMeetingConversation({ db, meetingId })
  if (existing) return existing
  const created = await db
    .insertInto('conversation')
    .columns(['organizationId', 'kind', 'meetingId', 'title'])
    .expression((eb) =>
      eb
        .selectFrom('meeting')
        .select(['organizationId', eb.val('meeting').as('kind'), 'id', 'title'])
        .where('id', '=', meetingId),
    )
    .onConflict((oc) => oc.column('meetingId').doNothing())
    .returningAll()
    .executeTakeFirst()
  if (created) return created
  const raced = await findMeetingConversation({ db, meetingId })
  if (!raced) throw new AppError('NOT_FOUND', 'Meeting not found')
  return raced
}

export async function findMeetingConversation(options: {
  db: Database
  meetingId: string
}): Promise<Conversation | undefined> {
  return options.db
    .selectFrom('conversation')
    .selectAll()
    .where('meetingId', '=', options.meetingId)
    .executeTakeFirst()
}

/**
 * Makes an admitted participant a member of the meeting's chat; returns the conversation id. The
 * meeting's moderators are the chat's admins (they delete others' messages); each join takes the
 * role the participant has in the meeting then.
 */
export async function joinMeetingConversation(options: {
  db: Database
  meetingId: string
  userId: string
  role?: MemberRole
}): Promise<string> {
  const conversation = await getOrCreateMeetingConversation(options)
  const role = options.role ?? 'member'
  await options.db
    .insertInto('conversationMember')
    .values({ conversationId: conversation.id, userId: options.userId, role })
    .onConflict((oc) => oc.columns(['conversationId', 'userId']).doUpdateSet({ role }))
    .execute()
  return conversation.id
}

export async function isConversationMember(options: {
  db: Database
  conversationId: string
  userId: string
}): Promise<boolean> {
  const row = await options.db
    .selectFrom('conversationMember')
    .select('userId')
    .where('conversationId', '=', options.conversationId)
    .where('userId', '=', options.userId)
    .executeTakeFirst()
  return Boolean(row)
}

const messageColumns = [
  'message.id',
  'message.seq',
  'message.senderId',
  'user.name as senderName',
  'message.body',
  'message.createdAt',
  'message.idempotencyKey',
] as const

type MessageRow = {
  id: string
  seq: number
  senderId: string
  senderName: string
  body: string
  createdAt: Date
  idempotencyKey: string
}

const toChatMessage = (row: MessageRow): ChatMessage => ({
  ...row,
  seq: Number(row.seq),
  createdAt: row.createdAt.toISOString(),
})

/**
 * Stores a message as the conversation's next seq, once per (sender, idempotencyKey): a retry gets
 * the message stored the first time (`isNew: false`), never a second copy. The conversation row is
 * locked first, so concurrent sends get consecutive seqs and a concurrent retry sees the original.
 */
export async function postMessage(options: {
  db: Database
  conversationId: string
  senderId: string
  body: string
  idempotencyKey: string
}): Promise<{ message: ChatMessage; isNew: boolean }> {
  const body = ChatBodySchema.safeParse(options.body)
  if (!body.success) throw new AppError('BAD_REQUEST', body.error.issues[0]!.message)
  if (!IdempotencyKeySchema.safeParse(options.idempotencyKey).success) {
    throw new AppError('BAD_REQUEST', 'idempotencyKey must be a UUID')
  }
  const { conversationId, senderId, idempotencyKey } = options
  return options.db.transaction().execute(async (trx) => {
    const conversation = await trx
      .selectFrom('conversation')
      .select('lastSeq')
      .where('id', '=', conversationId)
      .forUpdate()
      .executeTakeFirst()
    if (!conversation) throw new AppError('NOT_FOUND', 'Conversation not found')
    const findStored = () =>
      trx
        .selectFrom('message')
        .innerJoin('user', 'user.id', 'message.senderId')
        .select(messageColumns)
        .where('message.conversationId', '=', conversationId)
        .where('message.senderId', '=', senderId)
        .where('message.idempotencyKey', '=', idempotencyKey)
        .executeTakeFirst()
    const stored = await findStored()
    if (stored) return { message: toChatMessage(stored), isNew: false }
    const seq = Number(conversation.lastSeq) + 1
    await trx
      .updateTable('conversation')
      .set({ lastSeq: seq, updatedAt: new Date() })
      .where('id', '=', conversationId)
      .execute()
    await trx
      .insertInto('message')
      .values({ conversationId, seq, senderId, body: body.data, idempotencyKey })
      .execute()
    const inserted = await findStored()
    if (!inserted) throw new Error('the inserted message is not there')
    return { message: toChatMessage(inserted), isNew: true }
  })
}

/** Where a page of a conversation's history starts: before a seq (default: the newest), or after. */
export type SeqCursor = { beforeSeq?: number; afterSeq?: number }

/**
 * One page of `query` (a conversation's messages joined with their senders) in ascending seq order:
 * the newest `limit` before `beforeSeq` (default: the newest of all), or the oldest `limit` after
 * `afterSeq` (catching up after a reconnect). The meeting chat and the messenger page the same way.
 */
export async function pageBySeq<Row>(
  query: SelectQueryBuilder<DB, 'message' | 'user', Row>,
  cursor: SeqCursor,
  limit: number,
): Promise<{ rows: Row[]; hasMore: boolean }> {
  let page = query.limit(limit + 1)
  if (cursor.afterSeq !== undefined) {
    page = page.where('message.seq', '>', cursor.afterSeq).orderBy('message.seq', 'asc')
  } else {
    if (cursor.beforeSeq !== undefined) page = page.where('message.seq', '<', cursor.beforeSeq)
    page = page.orderBy('message.seq', 'desc')
  }
  const rows = await page.execute()
  const hasMore = rows.length > limit
  const kept = rows.slice(0, limit)
  if (cursor.afterSeq === undefined) kept.reverse()
  return { rows: kept, hasMore }
}

/** A page of the meeting chat's history (deleted messages left out); see pageBySeq. */
export async function listMessages(
  options: { db: Database; conversationId: string; limit?: number } & SeqCursor,
): Promise<{ messages: ChatMessage[]; hasMore: boolean }> {
  const limit = Math.min(options.limit ?? CHAT_HISTORY_DEFAULT_LIMIT, CHAT_HISTORY_MAX_LIMIT)
  const { rows, hasMore } = await pageBySeq(
    options.db
      .selectFrom('message')
      .innerJoin('user', 'user.id', 'message.senderId')
      .select(messageColumns)
      .where('message.conversationId', '=', options.conversationId)
      .where('message.deletedAt', 'is', null),
    options,
    limit,
  )
  return { messages: rows.map(toChatMessage), hasMore }
}

/** Every message of a meeting's chat, oldest first; for its members only (others: NOT_FOUND). */
export async function getMeetingTranscript(options: {
  db: Database
  meetingId: string
  userId: string
}): Promise<ChatMessage[] | null> {
  const conversation = await findMeetingConversation(options)
  if (!conversation) return null
  const isMember = await isConversationMember({
    db: options.db,
    conversationId: conversation.id,
    userId: options.userId,
  })
  if (!isMember) return null
  const rows = await options.db
    .selectFrom('message')
    .innerJoin('user', 'user.id', 'message.senderId')
    .select(messageColumns)
    .where('message.conversationId', '=', conversation.id)
    .where('message.deletedAt', 'is', null)
    .orderBy('message.seq', 'asc')
    .execute()
  return rows.map(toChatMessage)
}
