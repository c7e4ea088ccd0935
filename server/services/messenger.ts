// The messenger's domain functions: conversations (direct, group, channel, and the meeting chats of
// server/services/chat.ts), messages (post, edit, delete, reply, react, forward, pin, mentions),
// read markers, search and history. Every function takes the acting user and checks access in the
// database: a conversation the user is not a member of — including one of another organization —
// is NOT_FOUND, never FORBIDDEN, so ids cannot be probed.
import { type ExpressionBuilder, sql, type Transaction } from 'kysely'
import { type Database, executePrepared } from '#core/db/client.ts'
import type { DB } from '#core/db/types.ts'
import { AppError, isAppError } from '#core/errors.ts'
import { IdempotencyKeySchema } from '#core/protocol/chat.ts'
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  MESSENGER_MAX_ATTACHMENTS,
  MESSENGER_PAGE_DEFAULT_LIMIT,
  MESSENGER_PAGE_MAX_LIMIT,
  MESSENGER_SEARCH_MAX_LIMIT,
  MessengerBodySchema,
  type AttachmentInfo,
  type ConversationKind,
  type ConversationMemberInfo,
  type ConversationSummary,
  type DirectoryChannel,
  type DirectoryPerson,
  type MemberRole,
  type MessengerMessage,
  type SearchHit,
} from '#core/protocol/messenger.ts'
import { pageBySeq, type SeqCursor } from '#server/services/chat.ts'

const EXCERPT_CHARS = 120

type Db = Database | Transaction<DB>

/** The organization a user belongs to (the oldest membership; a deployment is usually one org). */
export async function getUserOrganizationId(options: {
  db: Db
  userId: string
}): Promise<string | null> {
  const row = await options.db
    .selectFrom('member')
    .select('organizationId')
    .where('userId', '=', options.userId)
    .orderBy('createdAt')
    .executeTakeFirst()
  return row?.organizationId ?? null
}

async function requireOrganizationId(db: Db, userId: string): Promise<string> {
  const organizationId = await getUserOrganizationId({ db, userId })
  if (!organizationId) throw new AppError('FORBIDDEN', 'You are not in an organization')
  return organizationId
}

type Access = {
  id: string
  kind: ConversationKind
  organizationId: string
  title: string | null
  role: MemberRole
  lastReadSeq: number
  lastSeq: number
}

/**
 * The organization rule of every messenger access: the conversation is in one of the user's
 * organizations, or it is a meeting chat (a meeting's guests are members without being in it).
 */
export const inUserOrganization = (userId: string) => (eb: ExpressionBuilder<DB, 'conversation'>) =>
  eb.or([
    eb('conversation.kind', '=', 'meeting'),
    eb(
      'conversation.organizationId',
      'in',
      eb.selectFrom('member').select('member.organizationId').where('member.userId', '=', userId),
    ),
  ])

/**
 * The user's membership of a conversation, or NOT_FOUND. Messenger conversations must also be in
 * one of the user's organizations; meeting chats only need the membership (guests of a meeting are
 * members without being in the organization).
 */
export async function requireConversationAccess(options: {
  db: Db
  userId: string
  conversationId: string
}): Promise<Access> {
  const row = await options.db
    .selectFrom('conversation')
    .innerJoin('conversationMember', 'conversationMember.conversationId', 'conversation.id')
    .select([
      'conversation.id',
      'conversation.kind',
      'conversation.organizationId',
      'conversation.title',
      'conversation.lastSeq',
      'conversationMember.role',
      'conversationMember.lastReadSeq',
    ])
    .where('conversation.id', '=', options.conversationId)
    .where('conversationMember.userId', '=', options.userId)
    .where(inUserOrganization(options.userId))
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'Conversation not found')
  return {
    ...row,
    lastSeq: Number(row.lastSeq),
    lastReadSeq: Number(row.lastReadSeq),
  }
}

const canPostIn = (access: { kind: ConversationKind; role: MemberRole }) =>
  access.kind !== 'channel' || access.role === 'admin'

const canManage = (access: { kind: ConversationKind; role: MemberRole }) =>
  (access.kind === 'group' || access.kind === 'channel') && access.role === 'admin'

/** Group, channel and meeting-chat admins (a meeting's moderators) delete anyone's message. */
const canDeleteOthersIn = (access: { kind: ConversationKind; role: MemberRole }) =>
  access.kind !== 'direct' && access.role === 'admin'

/** User ids of a conversation's members (the fan-out list). */
export async function listMemberIds(options: { db: Db; conversationId: string }) {
  const rows = await options.db
    .selectFrom('conversationMember')
    .select('userId')
    .where('conversationId', '=', options.conversationId)
    .execute()
  return rows.map((row) => row.userId)
}

/**
 * The conversations whose rooms a user's sockets join: memberships, with the organization rule of
 * requireConversationAccess (meeting chats by membership alone).
 */
export async function listMemberConversationIds(options: { db: Db; userId: string }) {
  const rows = await options.db
    .selectFrom('conversationMember')
    .innerJoin('conversation', 'conversation.id', 'conversationMember.conversationId')
    .select('conversation.id')
    .where('conversationMember.userId', '=', options.userId)
    .where(inUserOrganization(options.userId))
    .execute()
  return rows.map((row) => row.id)
}

// ---------------------------------------------------------------------------------------------
// Conversation summaries

type SummaryRow = {
  id: string
  kind: ConversationKind
  title: string | null
  description: string
  isPublic: boolean
  lastSeq: number
  meetingId: string | null
  createdAt: Date
  updatedAt: Date
  role: MemberRole
  lastReadSeq: number
  memberCount: number
  unreadCount: number
  otherUserId: string | null
  otherUserName: string | null
  lastSenderId: string | null
  lastSenderName: string | null
  lastBody: string | null
  lastCreatedAt: Date | null
  lastDeletedAt: Date | null
  lastHasAttachments: boolean | null
}

const excerpt = (body: string) =>
  body.length > EXCERPT_CHARS ? `${body.slice(0, EXCERPT_CHARS - 1)}…` : body

function toSummary(row: SummaryRow): ConversationSummary {
  const title =
    row.kind === 'direct'
      ? (row.otherUserName ?? row.title ?? '')
      : (row.title ?? (row.kind === 'meeting' ? 'Meeting' : ''))
  const access = { kind: row.kind, role: row.role }
  return {
    id: row.id,
    kind: row.kind,
    title,
    avatarName: title,
    description: row.description,
    isPublic: row.isPublic,
    memberCount: Number(row.memberCount),
    lastMessage:
      row.lastSenderId && row.lastCreatedAt
        ? {
            seq: Number(row.lastSeq),
            senderId: row.lastSenderId,
            senderName: row.lastSenderName ?? '',
            excerpt: row.lastDeletedAt ? '' : excerpt(row.lastBody ?? ''),
            createdAt: row.lastCreatedAt.toISOString(),
            isDeleted: Boolean(row.lastDeletedAt),
            hasAttachments: Boolean(row.lastHasAttachments),
          }
        : null,
    lastSeq: Number(row.lastSeq),
    lastReadSeq: Number(row.lastReadSeq),
    unreadCount: Number(row.unreadCount),
    myRole: row.role,
    canPost: canPostIn(access),
    canManage: canManage(access),
    canDeleteOthers: canDeleteOthersIn(access),
    directUserId: row.kind === 'direct' ? row.otherUserId : null,
    meetingId: row.meetingId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

async function querySummaries(
  db: Db,
  userId: string,
  conversationIds?: string[],
): Promise<ConversationSummary[]> {
  if (conversationIds && conversationIds.length === 0) return []
  const only = conversationIds ? sql`and c."id" = any(${sql.val(conversationIds)}::uuid[])` : sql``
  const result = await sql<SummaryRow>`
    select c."id", c."kind", c."title", c."description", c."isPublic", c."lastSeq", c."meetingId",
      c."createdAt", c."updatedAt", cm."role", cm."lastReadSeq",
      (select count(*) from "conversationMember" m where m."conversationId" = c."id") as "memberCount",
      (select count(*) from "message" m where m."conversationId" = c."id" and m."seq" > cm."lastReadSeq"
        and m."senderId" <> ${userId} and m."deletedAt" is null) as "unreadCount",
      other."userId" as "otherUserId", other."name" as "otherUserName",
      last."senderId" as "lastSenderId", last."senderName" as "lastSenderName", last."body" as "lastBody",
      last."createdAt" as "lastCreatedAt", last."deletedAt" as "lastDeletedAt",
      last."hasAttachments" as "lastHasAttachments"
    from "conversationMember" cm
    join "conversation" c on c."id" = cm."conversationId"
    left join lateral (
      select om."userId", u."name" from "conversationMember" om join "user" u on u."id" = om."userId"
      where c."kind" = 'direct' and om."conversationId" = c."id" and om."userId" <> cm."userId"
      limit 1
    ) other on true
    left join lateral (
      select m."senderId", u."name" as "senderName", m."body", m."createdAt", m."deletedAt",
        exists (select 1 from "messageAttachment" ma where ma."messageId" = m."id") as "hasAttachments"
      from "message" m join "user" u on u."id" = m."senderId"
      where m."conversationId" = c."id" and m."seq" = c."lastSeq"
    ) last on true
    where cm."userId" = ${userId}
      and (c."kind" = 'meeting'
        or c."organizationId" in (select "organizationId" from "member" where "userId" = ${userId}))
      ${only}
    order by c."updatedAt" desc
  `.execute(db)
  return result.rows.map(toSummary)
}

export async function listConversations(options: {
  db: Database
  userId: string
}): Promise<ConversationSummary[]> {
  return querySummaries(options.db, options.userId)
}

/** One conversation as `userId` sees it; NOT_FOUND unless a member. */
export async function getConversationSummary(options: {
  db: Db
  userId: string
  conversationId: string
}): Promise<ConversationSummary> {
  const [summary] = await querySummaries(options.db, options.userId, [options.conversationId])
  if (!summary) throw new AppError('NOT_FOUND', 'Conversation not found')
  return summary
}

export async function openConversation(options: {
  db: Database
  userId: string
  conversationId: string
}): Promise<{
  conversation: ConversationSummary
  members: ConversationMemberInfo[]
  pinned: MessengerMessage[]
}> {
  const { db, conversationId } = options
  await requireConversationAccess(options)
  const conversation = await getConversationSummary(options)
  const members = await db
    .selectFrom('conversationMember')
    .innerJoin('user', 'user.id', 'conversationMember.userId')
    .select([
      'user.id as userId',
      'user.name',
      'user.email',
      'conversationMember.role',
      'conversationMember.lastReadSeq',
    ])
    .where('conversationMember.conversationId', '=', conversationId)
    .orderBy('user.name')
    .limit(1000)
    .execute()
  const pinnedIds = await db
    .selectFrom('message')
    .select('id')
    .where('conversationId', '=', conversationId)
    .where('pinnedAt', 'is not', null)
    .where('deletedAt', 'is', null)
    .orderBy('pinnedAt', 'desc')
    .limit(50)
    .execute()
  const pinned = await loadMessages(
    db,
    pinnedIds.map((row) => row.id),
  )
  return {
    conversation,
    members: members.map((member) => ({
      ...member,
      // Anonymous meeting guests have placeholder emails; never show them.
      email: member.email.endsWith('.invalid') ? '' : member.email,
      lastReadSeq: Number(member.lastReadSeq),
    })),
    pinned,
  }
}

// ---------------------------------------------------------------------------------------------
// Messages as clients see them

type BaseMessageRow = {
  id: string
  conversationId: string
  seq: number
  senderId: string
  senderName: string
  body: string
  idempotencyKey: string
  createdAt: Date
  editedAt: Date | null
  deletedAt: Date | null
  replyToId: string | null
  forwardedFromId: string | null
  forwardedConversationTitle: string | null
  forwardedSenderName: string | null
  forwardedCreatedAt: Date | null
  mentions: string[]
  pinnedAt: Date | null
}

const baseMessageColumns = [
  'message.id',
  'message.conversationId',
  'message.seq',
  'message.senderId',
  'user.name as senderName',
  'message.body',
  'message.idempotencyKey',
  'message.createdAt',
  'message.editedAt',
  'message.deletedAt',
  'message.replyToId',
  'message.forwardedFromId',
  'message.forwardedConversationTitle',
  'message.forwardedSenderName',
  'message.forwardedCreatedAt',
  'message.mentions',
  'message.pinnedAt',
] as const

export const attachmentUrl = (id: string) => `/api/attachments/${id}`

/** What toAttachmentInfo reads. */
const attachmentInfoColumns = [
  'attachment.id',
  'attachment.name',
  'attachment.size',
  'attachment.mime',
  'attachment.isImage',
  'attachment.isInline',
  'attachment.width',
  'attachment.height',
  'attachment.thumbnailKey',
] as const

/** What toReplyPreview reads (message joined with its sender). */
const replyPreviewColumns = [
  'message.id',
  'message.seq',
  'user.name as senderName',
  'message.body',
  'message.deletedAt',
] as const

/** The quote a reply shows: the original's sender and first words, or that it was deleted. */
function toReplyPreview(row: {
  id: string
  seq: number | string
  senderName: string
  body: string
  deletedAt: Date | null
}): NonNullable<MessengerMessage['replyTo']> {
  return {
    id: row.id,
    seq: Number(row.seq),
    senderName: row.senderName,
    excerpt: row.deletedAt ? '' : excerpt(row.body),
    isDeleted: Boolean(row.deletedAt),
  }
}

export function toAttachmentInfo(row: {
  id: string
  name: string
  size: number
  mime: string
  isImage: boolean
  isInline: boolean
  width: number | null
  height: number | null
  thumbnailKey: string | null
}): AttachmentInfo {
  return {
    id: row.id,
    name: row.name,
    size: Number(row.size),
    mime: row.mime,
    isImage: row.isImage,
    isInline: row.isInline,
    width: row.width,
    height: row.height,
    hasThumbnail: Boolean(row.thumbnailKey),
    url: attachmentUrl(row.id),
    thumbnailUrl: row.thumbnailKey ? `${attachmentUrl(row.id)}/thumbnail` : null,
  }
}

/** Builds full messages (reply previews, reactions, attachments) for rows already fetched. */
async function hydrate(db: Db, rows: BaseMessageRow[]): Promise<MessengerMessage[]> {
  if (rows.length === 0) return []
  const ids = rows.map((row) => row.id)
  const replyIds = [...new Set(rows.flatMap((row) => (row.replyToId ? [row.replyToId] : [])))]
  const [replies, reactions, attachments] = await Promise.all([
    replyIds.length
      ? db
          .selectFrom('message')
          .innerJoin('user', 'user.id', 'message.senderId')
          .select(replyPreviewColumns)
          .where('message.id', 'in', replyIds)
          .execute()
      : [],
    db
      .selectFrom('messageReaction')
      .select(['messageId', 'emoji', 'userId'])
      .where('messageId', 'in', ids)
      .orderBy('createdAt')
      .execute(),
    db
      .selectFrom('messageAttachment')
      .innerJoin('attachment', 'attachment.id', 'messageAttachment.attachmentId')
      .select(['messageAttachment.messageId', ...attachmentInfoColumns])
      .where('messageAttachment.messageId', 'in', ids)
      .orderBy('messageAttachment.position')
      .execute(),
  ])
  const replyById = new Map(replies.map((reply) => [reply.id, reply]))
  return rows.map((row) => {
    const isDeleted = Boolean(row.deletedAt)
    const reply = row.replyToId ? replyById.get(row.replyToId) : undefined
    const reactionMap = new Map<string, string[]>()
    if (!isDeleted) {
      for (const reaction of reactions) {
        if (reaction.messageId !== row.id) continue
        const users = reactionMap.get(reaction.emoji) ?? []
        users.push(reaction.userId)
        reactionMap.set(reaction.emoji, users)
      }
    }
    return {
      id: row.id,
      conversationId: row.conversationId,
      seq: Number(row.seq),
      sender: { id: row.senderId, name: row.senderName },
      body: isDeleted ? '' : row.body,
      createdAt: row.createdAt.toISOString(),
      editedAt: row.editedAt?.toISOString() ?? null,
      deletedAt: row.deletedAt?.toISOString() ?? null,
      replyTo: reply ? toReplyPreview(reply) : null,
      forwardedFrom:
        row.forwardedSenderName !== null
          ? {
              conversationTitle: row.forwardedConversationTitle ?? '',
              senderName: row.forwardedSenderName,
              createdAt: (row.forwardedCreatedAt ?? row.createdAt).toISOString(),
            }
          : null,
      reactions: [...reactionMap].map(([emoji, userIds]) => ({
        emoji,
        count: userIds.length,
        userIds,
      })),
      attachments: isDeleted
        ? []
        : attachments.filter((attachment) => attachment.messageId === row.id).map(toAttachmentInfo),
      mentions: isDeleted ? [] : row.mentions,
      isPinned: !isDeleted && Boolean(row.pinnedAt),
      idempotencyKey: row.idempotencyKey,
    }
  })
}

async function loadMessages(db: Db, ids: string[]): Promise<MessengerMessage[]> {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('message')
    .innerJoin('user', 'user.id', 'message.senderId')
    .select(baseMessageColumns)
    .where('message.id', 'in', ids)
    .execute()
  const order = new Map(ids.map((id, index) => [id, index]))
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  return hydrate(db, rows)
}

/** A message as the messenger shows it (no access check: for fan-out of a message already stored). */
export async function getMessengerMessage(options: { db: Db; messageId: string }) {
  return loadMessage(options.db, options.messageId)
}

/** The meeting of a meeting conversation, or null. */
export async function findConversationMeetingId(options: { db: Db; conversationId: string }) {
  const row = await options.db
    .selectFrom('conversation')
    .select('meetingId')
    .where('id', '=', options.conversationId)
    .executeTakeFirst()
  return row?.meetingId ?? null
}

async function loadMessage(db: Db, id: string): Promise<MessengerMessage> {
  const [message] = await loadMessages(db, [id])
  if (!message) throw new AppError('NOT_FOUND', 'Message not found')
  return message
}

/** A page of history (pageBySeq), deleted messages included as tombstones so seqs have no holes. */
export async function listConversationMessages(
  options: { db: Database; userId: string; conversationId: string; limit?: number } & SeqCursor,
): Promise<{ messages: MessengerMessage[]; hasMore: boolean }> {
  await requireConversationAccess(options)
  const limit = Math.min(options.limit ?? MESSENGER_PAGE_DEFAULT_LIMIT, MESSENGER_PAGE_MAX_LIMIT)
  const { rows, hasMore } = await pageBySeq(
    options.db
      .selectFrom('message')
      .innerJoin('user', 'user.id', 'message.senderId')
      .select(baseMessageColumns)
      .where('message.conversationId', '=', options.conversationId),
    options,
    limit,
  )
  return { messages: await hydrate(options.db, rows), hasMore }
}

// ---------------------------------------------------------------------------------------------
// Posting

/** What a post's transaction committed: the message row, and whether this call stored it. */
type Committed = {
  id: string
  isNew: boolean
  /** A row this call inserted: its seq and createdAt (the rest of the message is the post's). */
  inserted?: { seq: number; createdAt: Date }
  /** The conversation's meeting (null: a messenger conversation; undefined: not looked up). */
  meetingId?: string | null
}

export type PostResult = {
  message: MessengerMessage
  /** false: a retry of a message stored before (nothing to fan out again). */
  isNew: boolean
  /** The conversation's meeting, when the post's transaction saw it (null: not a meeting chat). */
  meetingId?: string | null
}

/** A post checked and waiting for its conversation's next group commit. */
type PendingPost = {
  conversationId: string
  userId: string
  idempotencyKey: string
  body: string
  replyToId: string | null
  attachmentIds: string[]
  mentions: string[]
  forward?: { fromId: string; conversationTitle: string; senderName: string; createdAt: Date }
  /** What the acked message shows beyond the row (read by the checks, no reload after commit). */
  senderName: string
  replyTo: MessengerMessage['replyTo']
  attachments: AttachmentInfo[]
  resolve: (result: PostResult) => void
  reject: (error: unknown) => void
}

/** At most this many posts share one statement (the rest take the next one). */
const MAX_POSTS_PER_COMMIT = 200

/**
 * Group commit, per process: the first post while nothing is being written is written at once;
 * posts that arrive while a write is in flight — to any conversation — wait and are written
 * together by the next one (one statement, one commit). One writer per process keeps PostgreSQL's
 * concurrent inserters (and their lock convoys on a busy machine) to the number of processes, and
 * the busier it gets the more each commit carries. Other processes' writes serialize with these on
 * the conversation rows they share, locked in id order so two batches never deadlock.
 */
const postQueues = new WeakMap<Database, PendingPost[]>()

const postKey = (post: { conversationId: string; userId: string; idempotencyKey: string }) =>
  `${post.conversationId}\n${post.userId}\n${post.idempotencyKey}`

function enqueuePost(db: Database, post: Omit<PendingPost, 'resolve' | 'reject'>) {
  return new Promise<PostResult>((resolve, reject) => {
    const pending = { ...post, resolve, reject }
    const waiting = postQueues.get(db)
    if (waiting) {
      waiting.push(pending)
      return
    }
    const queue = [pending]
    postQueues.set(db, queue)
    void drainPosts(db, queue)
  })
}

async function drainPosts(db: Database, queue: PendingPost[]): Promise<void> {
  while (queue.length > 0) await commitPosts(db, queue.splice(0, MAX_POSTS_PER_COMMIT))
  // Synchronously after the last check: a post arriving now starts a new queue.
  postQueues.delete(db)
}

/** Writes a batch and settles every post in it (never throws). */
async function commitPosts(db: Database, batch: PendingPost[]) {
  // The same (conversation, sender, key) twice in one batch: a retry racing its original; one row,
  // one answer.
  const firsts = new Map<string, PendingPost>()
  const repeats: PendingPost[] = []
  for (const post of batch) {
    if (firsts.has(postKey(post))) repeats.push(post)
    else firsts.set(postKey(post), post)
  }
  const posts = [...firsts.values()]
  const outcomes = new Map<PendingPost, Committed | { error: unknown }>()
  const write = async (some: PendingPost[]) => {
    const written = await writePosts(db, some)
    for (const post of some) {
      outcomes.set(
        post,
        written.get(post) ?? { error: new AppError('NOT_FOUND', 'Conversation not found') },
      )
    }
  }
  try {
    await write(posts)
  } catch (error) {
    if (posts.length === 1) {
      outcomes.set(posts[0]!, { error })
    } else {
      // One bad post must not fail the others: write them one by one.
      for (const post of posts) {
        try {
          await write([post])
        } catch (error) {
          outcomes.set(post, { error })
        }
      }
    }
  }
  // Rows stored before (a retry's original) are loaded; rows this batch inserted are built from
  // what the post already holds.
  const storedIds = [
    ...new Set(
      [...outcomes.values()].flatMap((outcome) =>
        'id' in outcome && !outcome.inserted ? [outcome.id] : [],
      ),
    ),
  ]
  let messages: Map<string, MessengerMessage>
  try {
    messages = new Map((await loadMessages(db, storedIds)).map((message) => [message.id, message]))
  } catch (error) {
    for (const post of batch) post.reject(error)
    return
  }
  const settle = (
    post: PendingPost,
    outcome: Committed | { error: unknown },
    isRepeat: boolean,
  ) => {
    if ('error' in outcome) return post.reject(outcome.error)
    const message = outcome.inserted
      ? newMessage(firsts.get(postKey(post))!, outcome.id, outcome.inserted)
      : messages.get(outcome.id)
    if (!message) return post.reject(new AppError('NOT_FOUND', 'Message not found'))
    post.resolve({ message, isNew: outcome.isNew && !isRepeat, meetingId: outcome.meetingId })
  }
  for (const post of posts) settle(post, outcomes.get(post)!, false)
  for (const post of repeats) settle(post, outcomes.get(firsts.get(postKey(post))!)!, true)
}

/** A message just inserted, as loadMessages would return it (no reactions, not pinned, not edited). */
function newMessage(
  post: PendingPost,
  id: string,
  inserted: { seq: number; createdAt: Date },
): MessengerMessage {
  const createdAt = inserted.createdAt.toISOString()
  return {
    id,
    conversationId: post.conversationId,
    seq: inserted.seq,
    sender: { id: post.userId, name: post.senderName },
    body: post.body,
    createdAt,
    editedAt: null,
    deletedAt: null,
    replyTo: post.replyTo,
    forwardedFrom: post.forward
      ? {
          conversationTitle: post.forward.conversationTitle,
          senderName: post.forward.senderName,
          createdAt: post.forward.createdAt.toISOString(),
        }
      : null,
    reactions: [],
    attachments: post.attachments,
    mentions: post.mentions,
    isPinned: false,
    idempotencyKey: post.idempotencyKey,
  }
}

/** PostgreSQL's unique_violation: a (sender, key) stored meanwhile, through another process. */
const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'

/**
 * Posts of distinct (conversation, sender, key) in one statement, so one round trip and its own
 * commit: lock the conversations (in id order) and take each one's seqs by one update, insert the
 * messages, move the senders' read markers and link the attachments, all in CTEs of that
 * statement. A row that conflicts with a stored copy (a retry that committed meanwhile, through
 * another process) fails the whole statement — nothing of it stays, so the seqs keep no gaps; the
 * posts whose copies are stored get them and the rest are written again. A post whose conversation
 * is gone gets no entry.
 */
async function writePosts(
  db: Database,
  posts: PendingPost[],
): Promise<Map<PendingPost, Committed>> {
  const results = new Map<PendingPost, Committed>()
  let batch = posts
  while (batch.length > 0) {
    // k: the post's place among its conversation's posts here; its seq is the conversation's
    // last seq before the batch + k. Your own message is read by you: each sender's read marker
    // goes to their last post's seq.
    const counts = new Map<string, number>()
    const lastIndex = new Map<string, number>()
    const places = batch.map((post, index) => {
      const k = (counts.get(post.conversationId) ?? 0) + 1
      counts.set(post.conversationId, k)
      lastIndex.set(`${post.conversationId}\n${post.userId}`, index)
      return k
    })
    const rows = JSON.stringify(
      batch.map((post, index) => ({
        i: index,
        conversationId: post.conversationId,
        k: places[index],
        senderId: post.userId,
        body: post.body,
        idempotencyKey: post.idempotencyKey,
        replyToId: post.replyToId,
        mentions: post.mentions,
        forwardedFromId: post.forward?.fromId ?? null,
        forwardedConversationTitle: post.forward?.conversationTitle ?? null,
        forwardedSenderName: post.forward?.senderName ?? null,
        forwardedCreatedAt: post.forward?.createdAt.toISOString() ?? null,
        isLast: lastIndex.get(`${post.conversationId}\n${post.userId}`) === index,
      })),
    )
    const conversations = JSON.stringify(
      [...counts].map(([conversationId, n]) => ({ conversationId, n })),
    )
    const links = JSON.stringify(
      batch.flatMap((post, index) =>
        post.attachmentIds.map((attachmentId, position) => ({ i: index, attachmentId, position })),
      ),
    )
    const statement = sql<{
      i: number
      id: string
      seq: string | number
      createdAt: Date
      meetingId: string | null
    }>`
      with "count" as (
        select * from jsonb_to_recordset(${conversations}::jsonb) as "c" ("conversationId" uuid, "n" int)
      ),
      "inOrder" as (
        select "conversation"."id" from "conversation"
        join "count" on "count"."conversationId" = "conversation"."id"
        order by "conversation"."id"
        for update of "conversation"
      ),
      "locked" as (
        update "conversation"
        set "lastSeq" = "lastSeq" + "count"."n", "updatedAt" = now()
        from "count", "inOrder"
        where "conversation"."id" = "count"."conversationId" and "inOrder"."id" = "conversation"."id"
        returning "conversation"."id", "lastSeq" - "count"."n" as "base", "meetingId"
      ),
      "post" as (
        select * from jsonb_to_recordset(${rows}::jsonb) as "p" (
          "i" int, "conversationId" uuid, "k" int, "senderId" text, "body" text,
          "idempotencyKey" text, "replyToId" uuid, "mentions" text[], "forwardedFromId" uuid,
          "forwardedConversationTitle" text, "forwardedSenderName" text,
          "forwardedCreatedAt" timestamptz, "isLast" boolean
        )
      ),
      "inserted" as (
        insert into "message" (
          "conversationId", "seq", "senderId", "body", "idempotencyKey", "replyToId", "mentions",
          "forwardedFromId", "forwardedConversationTitle", "forwardedSenderName",
          "forwardedCreatedAt"
        )
        select "post"."conversationId", "locked"."base" + "post"."k", "post"."senderId",
          "post"."body", "post"."idempotencyKey", "post"."replyToId", "post"."mentions",
          "post"."forwardedFromId", "post"."forwardedConversationTitle",
          "post"."forwardedSenderName", "post"."forwardedCreatedAt"
        from "post" join "locked" on "locked"."id" = "post"."conversationId"
        order by "post"."i"
        returning "id", "conversationId", "seq", "createdAt"
      ),
      "readMarker" as (
        update "conversationMember" as "m"
        set "lastReadSeq" = "locked"."base" + "post"."k"
        from "post" join "locked" on "locked"."id" = "post"."conversationId"
        where "m"."conversationId" = "post"."conversationId"
          and "m"."userId" = "post"."senderId" and "post"."isLast"
      ),
      "numbered" as (
        select "inserted".*, "post"."i", "locked"."meetingId"
        from "inserted"
        join "locked" on "locked"."id" = "inserted"."conversationId"
        join "post" on "post"."conversationId" = "inserted"."conversationId"
          and "locked"."base" + "post"."k" = "inserted"."seq"
      ),
      "link" as (
        insert into "messageAttachment" ("messageId", "attachmentId", "position")
        select "numbered"."id", "l"."attachmentId", "l"."position"
        from jsonb_to_recordset(${links}::jsonb) as "l" ("i" int, "attachmentId" uuid, "position" int)
        join "numbered" on "numbered"."i" = "l"."i"
      )
      select "i", "id", "seq", "createdAt", "meetingId" from "numbered"
    `
    try {
      const inserted = await executePrepared(db, 'messenger-write-posts', statement.compile(db))
      for (const row of inserted) {
        results.set(batch[row.i]!, {
          id: row.id,
          isNew: true,
          meetingId: row.meetingId,
          inserted: { seq: Number(row.seq), createdAt: row.createdAt },
        })
      }
      batch = []
    } catch (error) {
      if (!isUniqueViolation(error)) throw error
      // Nothing of the statement stayed (the seqs go back): posts whose retries committed
      // meanwhile get their stored copies, the rest are written again.
      const stored = await Promise.all(batch.map((post) => findStoredMessage(db, post)))
      if (!stored.some(Boolean)) throw error
      batch.forEach((post, index) => {
        const row = stored[index]
        if (row) results.set(post, { id: row.id, isNew: false })
      })
      batch = batch.filter((_, index) => !stored[index])
    }
  }
  return results
}

const findStoredMessage = (
  db: Db,
  post: { conversationId: string; userId: string; idempotencyKey: string },
) =>
  db
    .selectFrom('message')
    .select('id')
    .where('conversationId', '=', post.conversationId)
    .where('senderId', '=', post.userId)
    .where('idempotencyKey', '=', post.idempotencyKey)
    .executeTakeFirst()

/**
 * Stores a message as the conversation's next seq, once per (sender, idempotencyKey): a retry gets
 * the stored message back, never a second copy (the unique constraint is the last word). Every
 * check runs first, without locks; then the post joins its conversation's group commit (the
 * conversation row is locked, so concurrent sends get consecutive seqs). Resolves after commit.
 */
export async function postConversationMessage(options: {
  db: Database
  userId: string
  conversationId: string
  body: string
  idempotencyKey: string
  replyToId?: string
  attachmentIds?: string[]
  mentionIds?: string[]
  forward?: {
    fromId: string
    conversationTitle: string
    senderName: string
    createdAt: Date
  }
}): Promise<PostResult> {
  const { db, userId, conversationId, idempotencyKey } = options
  const body = MessengerBodySchema.safeParse(options.body)
  if (!body.success) throw new AppError('BAD_REQUEST', body.error.issues[0]!.message)
  if (!IdempotencyKeySchema.safeParse(idempotencyKey).success) {
    throw new AppError('BAD_REQUEST', 'idempotencyKey must be a UUID')
  }
  const attachmentIds = [...new Set(options.attachmentIds ?? [])]
  if (attachmentIds.length > MESSENGER_MAX_ATTACHMENTS) {
    throw new AppError('BAD_REQUEST', `At most ${MESSENGER_MAX_ATTACHMENTS} attachments`)
  }
  // One round trip: access (as requireConversationAccess), a stored copy of this key, the sender.
  const accessQuery = db
    .selectFrom('conversation')
    .innerJoin('conversationMember', 'conversationMember.conversationId', 'conversation.id')
    .innerJoin('user', 'user.id', 'conversationMember.userId')
    .select((eb) => [
      'conversation.kind',
      'conversationMember.role',
      'user.name as senderName',
      eb
        .selectFrom('message')
        .select('message.id')
        .where('message.conversationId', '=', conversationId)
        .where('message.senderId', '=', userId)
        .where('message.idempotencyKey', '=', idempotencyKey)
        .as('storedId'),
    ])
    .where('conversation.id', '=', conversationId)
    .where('conversationMember.userId', '=', userId)
    .where(inUserOrganization(userId))
  const [access] = await executePrepared(db, 'messenger-post-access', accessQuery.compile())
  if (!access) throw new AppError('NOT_FOUND', 'Conversation not found')
  if (access.storedId) return { message: await loadMessage(db, access.storedId), isNew: false }
  if (!canPostIn(access)) {
    throw new AppError('FORBIDDEN', 'Only channel admins can post in this channel')
  }
  let replyTo: MessengerMessage['replyTo'] = null
  if (options.replyToId) {
    const original = await db
      .selectFrom('message')
      .innerJoin('user', 'user.id', 'message.senderId')
      .select(replyPreviewColumns)
      .where('message.id', '=', options.replyToId)
      .where('message.conversationId', '=', conversationId)
      .executeTakeFirst()
    if (!original) throw new AppError('BAD_REQUEST', 'The message you reply to is not here')
    replyTo = toReplyPreview(original)
  }
  let attachments: AttachmentInfo[] = []
  if (attachmentIds.length > 0) {
    let query = db
      .selectFrom('attachment')
      .select(attachmentInfoColumns)
      .where('id', 'in', attachmentIds)
    // Only your own uploads, not yet posted anywhere (a forward reuses the original's).
    if (!options.forward) query = query.where('uploaderId', '=', userId)
    const rows = await query.execute()
    if (!options.forward && rows.length !== attachmentIds.length) {
      throw new AppError('BAD_REQUEST', 'Unknown attachment')
    }
    const byId = new Map(rows.map((row) => [row.id, row]))
    attachments = attachmentIds.flatMap((id) => {
      const row = byId.get(id)
      return row ? [toAttachmentInfo(row)] : []
    })
  }
  const mentionIds = [...new Set(options.mentionIds ?? [])].filter((id) => id !== userId)
  const mentions = mentionIds.length
    ? (
        await db
          .selectFrom('conversationMember')
          .select('userId')
          .where('conversationId', '=', conversationId)
          .where('userId', 'in', mentionIds)
          .execute()
      ).map((row) => row.userId)
    : []
  return enqueuePost(db, {
    conversationId,
    userId,
    idempotencyKey,
    body: body.data,
    replyToId: options.replyToId ?? null,
    attachmentIds,
    mentions,
    forward: options.forward,
    senderName: access.senderName,
    replyTo,
    attachments,
  })
}

/** The message and the acting user's access to its conversation, or NOT_FOUND. */
async function requireMessageAccess(options: { db: Db; userId: string; messageId: string }) {
  const row = await options.db
    .selectFrom('message')
    .select([
      'id',
      'conversationId',
      'senderId',
      'body',
      'deletedAt',
      'createdAt',
      'forwardedFromId',
      'forwardedConversationTitle',
      'forwardedSenderName',
      'forwardedCreatedAt',
    ])
    .where('id', '=', options.messageId)
    .executeTakeFirst()
  if (!row) throw new AppError('NOT_FOUND', 'Message not found')
  const access = await requireConversationAccess({
    db: options.db,
    userId: options.userId,
    conversationId: row.conversationId,
  }).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'NOT_FOUND') {
      throw new AppError('NOT_FOUND', 'Message not found')
    }
    throw error
  })
  return { message: row, access }
}

export async function editMessage(options: {
  db: Database
  userId: string
  messageId: string
  body: string
  mentionIds?: string[]
}): Promise<MessengerMessage> {
  const { db, userId, messageId } = options
  const body = MessengerBodySchema.safeParse(options.body)
  if (!body.success) throw new AppError('BAD_REQUEST', body.error.issues[0]!.message)
  const { message } = await requireMessageAccess(options)
  if (message.senderId !== userId) {
    throw new AppError('FORBIDDEN', 'Only the author can edit a message')
  }
  if (message.deletedAt) throw new AppError('CONFLICT', 'The message was deleted')
  const update: { body: string; editedAt: Date; mentions?: string[] } = {
    body: body.data,
    editedAt: new Date(),
  }
  if (options.mentionIds) {
    const wanted = [...new Set(options.mentionIds)].filter((id) => id !== userId)
    update.mentions = wanted.length
      ? (
          await db
            .selectFrom('conversationMember')
            .select('userId')
            .where('conversationId', '=', message.conversationId)
            .where('userId', 'in', wanted)
            .execute()
        ).map((row) => row.userId)
      : []
  }
  await db.updateTable('message').set(update).where('id', '=', messageId).execute()
  return loadMessage(db, messageId)
}

/** Soft delete: the row and its seq stay, the body, attachments and reactions go. */
export async function deleteMessage(options: {
  db: Database
  userId: string
  messageId: string
}): Promise<MessengerMessage> {
  const { db, userId, messageId } = options
  const { message, access } = await requireMessageAccess(options)
  if (message.senderId !== userId && !canDeleteOthersIn(access)) {
    throw new AppError('FORBIDDEN', 'You can delete only your own messages')
  }
  if (message.deletedAt) return loadMessage(db, messageId)
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('message')
      .set({ deletedAt: new Date(), body: '', mentions: [], pinnedAt: null, pinnedById: null })
      .where('id', '=', messageId)
      .execute()
    await trx.deleteFrom('messageAttachment').where('messageId', '=', messageId).execute()
    await trx.deleteFrom('messageReaction').where('messageId', '=', messageId).execute()
  })
  return loadMessage(db, messageId)
}

export async function reactToMessage(options: {
  db: Database
  userId: string
  messageId: string
  emoji: string
  on: boolean
}): Promise<MessengerMessage> {
  const { db, userId, messageId, emoji } = options
  const { message } = await requireMessageAccess(options)
  if (message.deletedAt) throw new AppError('CONFLICT', 'The message was deleted')
  if (options.on) {
    const distinct = await db
      .selectFrom('messageReaction')
      .select((eb) => eb.fn.count<number>('emoji').distinct().as('count'))
      .where('messageId', '=', messageId)
      .where('emoji', '<>', emoji)
      .executeTakeFirstOrThrow()
    if (Number(distinct.count) >= 20) {
      throw new AppError('BAD_REQUEST', 'Too many different reactions on this message')
    }
    await db
      .insertInto('messageReaction')
      .values({ messageId, userId, emoji })
      .onConflict((oc) => oc.columns(['messageId', 'emoji', 'userId']).doNothing())
      .execute()
  } else {
    await db
      .deleteFrom('messageReaction')
      .where('messageId', '=', messageId)
      .where('userId', '=', userId)
      .where('emoji', '=', emoji)
      .execute()
  }
  return loadMessage(db, messageId)
}

export async function pinMessage(options: {
  db: Database
  userId: string
  messageId: string
  on: boolean
}): Promise<MessengerMessage> {
  const { db, userId, messageId } = options
  const { message, access } = await requireMessageAccess(options)
  if (access.kind === 'channel' && access.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only channel admins can pin messages')
  }
  if (message.deletedAt) throw new AppError('CONFLICT', 'The message was deleted')
  await db
    .updateTable('message')
    .set(
      options.on
        ? { pinnedAt: new Date(), pinnedById: userId }
        : { pinnedAt: null, pinnedById: null },
    )
    .where('id', '=', messageId)
    .execute()
  return loadMessage(db, messageId)
}

/** Posts a copy of a message into another conversation, with "forwarded from" attribution. */
export async function forwardMessage(options: {
  db: Database
  userId: string
  messageId: string
  toConversationId: string
  idempotencyKey: string
}): Promise<PostResult> {
  const { db, userId, messageId } = options
  const { message, access } = await requireMessageAccess(options)
  if (message.deletedAt) throw new AppError('CONFLICT', 'The message was deleted')
  const attachments = await db
    .selectFrom('messageAttachment')
    .select('attachmentId')
    .where('messageId', '=', messageId)
    .orderBy('position')
    .execute()
  let forward
  if (message.forwardedSenderName !== null) {
    // A forward of a forward keeps the original attribution.
    forward = {
      fromId: message.forwardedFromId ?? message.id,
      conversationTitle: message.forwardedConversationTitle ?? '',
      senderName: message.forwardedSenderName,
      createdAt: message.forwardedCreatedAt ?? message.createdAt,
    }
  } else {
    const sender = await db
      .selectFrom('user')
      .select('name')
      .where('id', '=', message.senderId)
      .executeTakeFirstOrThrow()
    forward = {
      fromId: message.id,
      // A direct chat's "title" is a person; do not reveal whose chat it was.
      conversationTitle: access.kind === 'direct' ? '' : (access.title ?? ''),
      senderName: sender.name,
      createdAt: message.createdAt,
    }
  }
  return postConversationMessage({
    db,
    userId,
    conversationId: options.toConversationId,
    body: message.body,
    idempotencyKey: options.idempotencyKey,
    attachmentIds: attachments.map((row) => row.attachmentId),
    forward,
  })
}

/** Moves the user's read marker forward to `seq` (never back); returns the marker and unread count. */
export async function markRead(options: {
  db: Database
  userId: string
  conversationId: string
  seq: number
}): Promise<{ lastReadSeq: number; unreadCount: number; kind: ConversationKind }> {
  const { db, userId, conversationId } = options
  const access = await requireConversationAccess(options)
  const seq = Math.min(options.seq, access.lastSeq)
  const updated = await db
    .updateTable('conversationMember')
    .set({ lastReadSeq: sql<number>`greatest("lastReadSeq", ${seq})` })
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .returning('lastReadSeq')
    .executeTakeFirstOrThrow()
  const lastReadSeq = Number(updated.lastReadSeq)
  const unread = await db
    .selectFrom('message')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('conversationId', '=', conversationId)
    .where('seq', '>', lastReadSeq)
    .where('senderId', '<>', userId)
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow()
  return { lastReadSeq, unreadCount: Number(unread.count), kind: access.kind }
}

// ---------------------------------------------------------------------------------------------
// Creating and managing conversations

/** Keeps only ids of people in the organization (others are silently dropped, never revealed). */
async function filterOrganizationMembers(db: Db, organizationId: string, userIds: string[]) {
  const unique = [...new Set(userIds)]
  if (unique.length === 0) return []
  const rows = await db
    .selectFrom('member')
    .select('userId')
    .where('organizationId', '=', organizationId)
    .where('userId', 'in', unique)
    .execute()
  return rows.map((row) => row.userId)
}

/** The direct chat of two people in the same organization, created on first use. */
export async function createDirectConversation(options: {
  db: Database
  userId: string
  otherUserId: string
}): Promise<{ conversation: ConversationSummary; isNew: boolean }> {
  const { db, userId, otherUserId } = options
  if (otherUserId === userId) throw new AppError('BAD_REQUEST', 'Pick someone else')
  const organizationId = await requireOrganizationId(db, userId)
  const [other] = await filterOrganizationMembers(db, organizationId, [otherUserId])
  if (!other) throw new AppError('NOT_FOUND', 'Person not found')
  const directKey = [userId, otherUserId].sort().join(':')
  const result = await db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('conversation')
      .values({ organizationId, kind: 'direct', directKey, createdById: userId })
      .onConflict((oc) =>
        oc.columns(['organizationId', 'directKey']).where('directKey', 'is not', null).doNothing(),
      )
      .returning('id')
      .executeTakeFirst()
    if (created) {
      await trx
        .insertInto('conversationMember')
        .values([
          { conversationId: created.id, userId, role: 'member' },
          { conversationId: created.id, userId: otherUserId, role: 'member' },
        ])
        .execute()
      return { id: created.id, isNew: true }
    }
    const existing = await trx
      .selectFrom('conversation')
      .select('id')
      .where('organizationId', '=', organizationId)
      .where('directKey', '=', directKey)
      .executeTakeFirstOrThrow()
    return { id: existing.id, isNew: false }
  })
  return {
    conversation: await getConversationSummary({ db, userId, conversationId: result.id }),
    isNew: result.isNew,
  }
}

/** A group (kind 'group') or channel (kind 'channel'); the creator is its first admin. */
export async function createConversation(options: {
  db: Database
  userId: string
  kind: 'group' | 'channel'
  title: string
  description?: string
  isPublic?: boolean
  memberIds: string[]
}): Promise<{ conversation: ConversationSummary; memberIds: string[] }> {
  const { db, userId, kind } = options
  const organizationId = await requireOrganizationId(db, userId)
  const others = (await filterOrganizationMembers(db, organizationId, options.memberIds)).filter(
    (id) => id !== userId,
  )
  const id = await db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('conversation')
      .values({
        organizationId,
        kind,
        title: options.title.trim(),
        description: options.description?.trim() ?? '',
        isPublic: kind === 'channel' && Boolean(options.isPublic),
        createdById: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('conversationMember')
      .values([
        { conversationId: created.id, userId, role: 'admin' as const },
        ...others.map((other) => ({
          conversationId: created.id,
          userId: other,
          role: 'member' as const,
        })),
      ])
      .execute()
    return created.id
  })
  return {
    conversation: await getConversationSummary({ db, userId, conversationId: id }),
    memberIds: [userId, ...others],
  }
}

async function requireManager(db: Db, userId: string, conversationId: string) {
  const access = await requireConversationAccess({ db, userId, conversationId })
  if (!canManage(access)) {
    throw new AppError('FORBIDDEN', 'Only admins of this group or channel can do that')
  }
  return access
}

export async function updateConversation(options: {
  db: Database
  userId: string
  conversationId: string
  title?: string
  description?: string
}): Promise<void> {
  const { db, userId, conversationId } = options
  await requireManager(db, userId, conversationId)
  const update: { title?: string; description?: string } = {}
  if (options.title !== undefined) update.title = options.title.trim()
  if (options.description !== undefined) update.description = options.description.trim()
  if (Object.keys(update).length === 0) return
  await db.updateTable('conversation').set(update).where('id', '=', conversationId).execute()
}

/** Adds people of the organization; returns who was actually added. */
export async function addMembers(options: {
  db: Database
  userId: string
  conversationId: string
  userIds: string[]
}): Promise<string[]> {
  const { db, userId, conversationId } = options
  const access = await requireManager(db, userId, conversationId)
  const candidates = await filterOrganizationMembers(db, access.organizationId, options.userIds)
  if (candidates.length === 0) return []
  const added = await db
    .insertInto('conversationMember')
    .values(candidates.map((id) => ({ conversationId, userId: id, role: 'member' as const })))
    .onConflict((oc) => oc.columns(['conversationId', 'userId']).doNothing())
    .returning('userId')
    .execute()
  return added.map((row) => row.userId)
}

/** Admins remove anyone; anyone removes themselves (leaves). A group keeps at least one admin. */
export async function removeMember(options: {
  db: Database
  userId: string
  conversationId: string
  memberId: string
}): Promise<void> {
  const { db, userId, conversationId, memberId } = options
  const access = await requireConversationAccess({ db, userId, conversationId })
  if (access.kind === 'direct' || access.kind === 'meeting') {
    throw new AppError('BAD_REQUEST', 'Members of this conversation cannot change')
  }
  if (memberId !== userId && !canManage(access)) {
    throw new AppError('FORBIDDEN', 'Only admins of this group or channel can remove people')
  }
  await db.transaction().execute(async (trx) => {
    const removed = await trx
      .deleteFrom('conversationMember')
      .where('conversationId', '=', conversationId)
      .where('userId', '=', memberId)
      .returning('role')
      .executeTakeFirst()
    if (!removed) throw new AppError('NOT_FOUND', 'Not a member')
    if (removed.role === 'admin') {
      // The last admin leaving hands the conversation to the longest-standing member.
      const admins = await trx
        .selectFrom('conversationMember')
        .select('userId')
        .where('conversationId', '=', conversationId)
        .where('role', '=', 'admin')
        .executeTakeFirst()
      if (!admins) {
        await trx
          .updateTable('conversationMember')
          .set({ role: 'admin' })
          .where('conversationId', '=', conversationId)
          .where(
            'userId',
            '=',
            trx
              .selectFrom('conversationMember')
              .select('userId')
              .where('conversationId', '=', conversationId)
              .orderBy('joinedAt')
              .limit(1),
          )
          .execute()
      }
    }
  })
}

export async function setMemberRole(options: {
  db: Database
  userId: string
  conversationId: string
  memberId: string
  role: MemberRole
}): Promise<void> {
  const { db, userId, conversationId, memberId, role } = options
  await requireManager(db, userId, conversationId)
  if (memberId === userId && role !== 'admin') {
    const otherAdmin = await db
      .selectFrom('conversationMember')
      .select('userId')
      .where('conversationId', '=', conversationId)
      .where('role', '=', 'admin')
      .where('userId', '<>', userId)
      .executeTakeFirst()
    if (!otherAdmin) throw new AppError('BAD_REQUEST', 'Make someone else an admin first')
  }
  const updated = await db
    .updateTable('conversationMember')
    .set({ role })
    .where('conversationId', '=', conversationId)
    .where('userId', '=', memberId)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) throw new AppError('NOT_FOUND', 'Not a member')
}

/** The organization's public channels and people, for starting chats and joining channels. */
export async function listDirectory(options: {
  db: Database
  userId: string
}): Promise<{ channels: DirectoryChannel[]; people: DirectoryPerson[] }> {
  const { db, userId } = options
  const organizationId = await requireOrganizationId(db, userId)
  const channels = await db
    .selectFrom('conversation')
    .select((eb) => [
      'conversation.id',
      'conversation.title',
      'conversation.description',
      eb
        .selectFrom('conversationMember')
        .select(eb.fn.countAll<number>().as('count'))
        .whereRef('conversationMember.conversationId', '=', 'conversation.id')
        .as('memberCount'),
      eb
        .exists(
          eb
            .selectFrom('conversationMember')
            .select('userId')
            .whereRef('conversationMember.conversationId', '=', 'conversation.id')
            .where('conversationMember.userId', '=', userId),
        )
        .as('isMember'),
    ])
    .where('conversation.organizationId', '=', organizationId)
    .where('conversation.isPublic', '=', true)
    .orderBy('conversation.title')
    .limit(500)
    .execute()
  const people = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select(['user.id as userId', 'user.name', 'user.email'])
    .where('member.organizationId', '=', organizationId)
    .where('user.id', '<>', userId)
    .orderBy('user.name')
    .limit(2000)
    .execute()
  return {
    channels: channels.map((channel) => ({
      id: channel.id,
      title: channel.title ?? '',
      description: channel.description,
      memberCount: Number(channel.memberCount),
      isMember: Boolean(channel.isMember),
    })),
    people,
  }
}

/** Joins a public channel of the user's organization (others: NOT_FOUND). */
export async function joinChannel(options: {
  db: Database
  userId: string
  conversationId: string
}): Promise<ConversationSummary> {
  const { db, userId, conversationId } = options
  const channel = await db
    .selectFrom('conversation')
    .select('id')
    .where('id', '=', conversationId)
    .where('isPublic', '=', true)
    .where(
      'organizationId',
      'in',
      db.selectFrom('member').select('organizationId').where('userId', '=', userId),
    )
    .executeTakeFirst()
  if (!channel) throw new AppError('NOT_FOUND', 'Channel not found')
  await db
    .insertInto('conversationMember')
    .values({ conversationId, userId, role: 'member' })
    .onConflict((oc) => oc.columns(['conversationId', 'userId']).doNothing())
    .execute()
  return getConversationSummary({ db, userId, conversationId })
}

// ---------------------------------------------------------------------------------------------
// Search

/**
 * Full-text search over the user's conversations, matching the query with both the Russian and
 * the English configuration (websearch syntax: "phrases", -exclusions, or), newest first.
 */
export async function searchMessages(options: {
  db: Database
  userId: string
  query: string
  limit?: number
}): Promise<SearchHit[]> {
  const { db, userId } = options
  const limit = Math.min(options.limit ?? 20, MESSENGER_SEARCH_MAX_LIMIT)
  const query = options.query.trim().slice(0, 200)
  if (!query) return []
  const tsQuery = sql`(websearch_to_tsquery('russian', ${query}) || websearch_to_tsquery('english', ${query}))`
  const headlineOptions = `StartSel=${HIGHLIGHT_START}, StopSel=${HIGHLIGHT_END}, MaxFragments=2, MaxWords=20, MinWords=5`
  const result = await sql<{ id: string; highlight: string }>`
    select m."id",
      ts_headline('russian', m."body", ${tsQuery}, ${headlineOptions}) as "highlight"
    from "message" m
    join "conversationMember" cm on cm."conversationId" = m."conversationId" and cm."userId" = ${userId}
    join "conversation" c on c."id" = m."conversationId"
    where m."searchVector" @@ ${tsQuery}
      and m."deletedAt" is null
      and (c."kind" = 'meeting'
        or c."organizationId" in (select "organizationId" from "member" where "userId" = ${userId}))
    order by m."createdAt" desc
    limit ${limit}
  `.execute(db)
  const messages = await loadMessages(
    db,
    result.rows.map((row) => row.id),
  )
  const conversationIds = [...new Set(messages.map((message) => message.conversationId))]
  const summaries = await querySummaries(db, userId, conversationIds)
  const titles = new Map(summaries.map((summary) => [summary.id, summary.title]))
  return messages.map((message, index) => ({
    message,
    conversationTitle: titles.get(message.conversationId) ?? '',
    highlight: result.rows[index]!.highlight,
  }))
}
