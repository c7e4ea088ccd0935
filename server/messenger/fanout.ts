// Live messenger updates. Messages go to the conversation's room (socketRooms.conversation), which
// the sockets of its members join: on connect for every conversation they are in
// (joinMemberConversationRooms), when they become a member (announceConversation,
// joinConversationRoom) and leave when they stop being one (leaveConversationRoom) — so a broadcast
// is one room through the Redis adapter, whatever the number of members. Per-user events go to the
// per-user rooms (socketRooms.user), which reach each of a user's tabs on every web instance.
// Delivery is best effort on top of the database: a client that missed something catches up with
// messenger:messages { afterSeq } and messenger:list (core/protocol/messenger.ts).
import type { Logger } from '#core/logger.ts'
import type { MessengerMessage, MessengerServerEvents } from '#core/protocol/messenger.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import type { AppContext } from '#server/app-context.ts'
import {
  findConversationMeetingId,
  getConversationSummary,
  getMessengerMessage,
  listMemberConversationIds,
} from '#server/services/messenger.ts'
import type { IoServer, IoSocket } from '#server/socket/types.ts'

type Emitter = { emit: (event: string, payload: unknown) => boolean }

export function emitToUsers<E extends keyof MessengerServerEvents>(
  io: IoServer,
  userIds: Iterable<string>,
  event: E,
  payload: MessengerServerEvents[E],
  options: { volatile?: boolean; exceptUserId?: string } = {},
): void {
  const rooms = [...new Set(userIds)].map(socketRooms.user)
  if (rooms.length === 0) return
  let target = io.to(rooms)
  if (options.exceptUserId) target = target.except(socketRooms.user(options.exceptUserId))
  if (options.volatile) target = target.volatile
  ;(target as unknown as Emitter).emit(event, payload)
}

/** The sockets of these users (every tab, every instance) join a conversation's room. */
export function joinConversationRoom(
  io: IoServer,
  userIds: Iterable<string>,
  conversationId: string,
): void {
  const rooms = [...new Set(userIds)].map(socketRooms.user)
  if (rooms.length > 0) io.in(rooms).socketsJoin(socketRooms.conversation(conversationId))
}

/**
 * A removed member's sockets leave the room: here at once, on other instances when the Redis
 * adapter's request arrives — published before anything posted after the removal, on the channel
 * the same subscriber reads in order.
 */
export function leaveConversationRoom(io: IoServer, userId: string, conversationId: string): void {
  io.in(socketRooms.user(userId)).socketsLeave(socketRooms.conversation(conversationId))
}

/**
 * A newly connected socket joins the rooms of its user's conversations. Joined first, then checked
 * again: a removal committed between the two reads is undone by the second (one committed after it
 * finds the socket in the room and takes it out); an addition after the first read reaches the
 * socket through its user room, which it joined before.
 */
export async function joinMemberConversationRooms(app: AppContext, socket: IoSocket) {
  const userId = socket.data.userId
  const before = await listMemberConversationIds({ db: app.db, userId })
  if (before.length === 0) return
  await socket.join(before.map(socketRooms.conversation))
  const now = new Set(await listMemberConversationIds({ db: app.db, userId }))
  for (const conversationId of before) {
    if (!now.has(conversationId)) await socket.leave(socketRooms.conversation(conversationId))
  }
}

/**
 * A conversation's frames leave a process at most once per this interval: what arrives in between
 * waits for the next frame, so a busy channel costs one write per socket per interval rather than
 * one per message, while a quiet one is not delayed at all.
 */
const FRAME_INTERVAL_MS = 10

type Frame = Map<string, MessengerMessage>
/** Per conversation: the frame being filled (null: none yet) while the conversation is hot. */
const hotConversations = new WeakMap<IoServer, Map<string, { next: Frame | null }>>()

function hotConversationsOf(io: IoServer) {
  let conversations = hotConversations.get(io)
  if (!conversations) {
    conversations = new Map()
    hotConversations.set(io, conversations)
  }
  return conversations
}

/**
 * New messages of a conversation leave as one frame (decision 0011): `messenger:message` when
 * alone, `messenger:messageBatch` (ascending seq) when several. The first message of a quiet
 * conversation goes out at the end of this turn of the event loop (with the rest of its group
 * commit); messages arriving within FRAME_INTERVAL_MS of a frame wait for the next one.
 */
function queueNewMessage(io: IoServer, message: MessengerMessage): void {
  const conversations = hotConversationsOf(io)
  const { conversationId } = message
  let hot = conversations.get(conversationId)
  if (!hot) {
    hot = { next: null }
    conversations.set(conversationId, hot)
    setImmediate(() => emitFrameOnSchedule(io, conversations, conversationId))
  }
  hot.next ??= new Map()
  hot.next.set(message.id, message)
}

/** Emits the conversation's waiting frame now, if any (an update must not overtake it). */
function emitWaitingFrame(io: IoServer, conversationId: string): void {
  const hot = hotConversationsOf(io).get(conversationId)
  if (!hot?.next) return
  const frame = hot.next
  hot.next = null
  emitFrame(io, conversationId, frame)
}

function emitFrameOnSchedule(
  io: IoServer,
  conversations: Map<string, { next: Frame | null }>,
  conversationId: string,
) {
  const hot = conversations.get(conversationId)!
  if (!hot.next) {
    // Nothing arrived during the interval: the conversation is quiet again.
    conversations.delete(conversationId)
    return
  }
  emitFrame(io, conversationId, hot.next)
  hot.next = null
  setTimeout(() => emitFrameOnSchedule(io, conversations, conversationId), FRAME_INTERVAL_MS)
}

function emitFrame(io: IoServer, conversationId: string, frame: Frame) {
  const ordered = [...frame.values()].sort((a, b) => a.seq - b.seq)
  const room = io.to(socketRooms.conversation(conversationId))
  if (ordered.length === 1) room.emit('messenger:message', { message: ordered[0]! })
  else room.emit('messenger:messageBatch', { conversationId, messages: ordered })
}

/** A new (or re-acknowledged) message to every member; @mentions also get messenger:mention. */
export async function announceMessage(options: {
  app: AppContext
  io: IoServer
  message: MessengerMessage
  event?: 'messenger:message' | 'messenger:messageUpdated'
  notifyMentions?: boolean
}): Promise<void> {
  const { app, io, message } = options
  if ((options.event ?? 'messenger:message') === 'messenger:message') {
    queueNewMessage(io, message)
  } else {
    emitWaitingFrame(io, message.conversationId)
    io.to(socketRooms.conversation(message.conversationId)).emit('messenger:messageUpdated', {
      message,
    })
  }
  if (options.notifyMentions && message.mentions.length > 0) {
    // Mentions were members when the message was stored; still members now?
    const members = await app.db
      .selectFrom('conversationMember')
      .select('userId')
      .where('conversationId', '=', message.conversationId)
      .where('userId', 'in', message.mentions)
      .execute()
    emitToUsers(
      io,
      members.map((row) => row.userId),
      'messenger:mention',
      { conversationId: message.conversationId, message },
    )
  }
}

/**
 * A message stored by the meeting chat (server/media/meeting-chat.ts) to the conversation's members
 * in the messenger, who may not be in the meeting right now.
 */
export async function announceMeetingChatMessage(options: {
  app: AppContext
  io: IoServer
  messageId: string
}): Promise<void> {
  const message = await getMessengerMessage({ db: options.app.db, messageId: options.messageId })
  await announceMessage({ ...options, message })
}

/** A messenger post in a meeting's conversation also reaches the people in the meeting's room. */
export async function announceToMeetingRoom(options: {
  app: AppContext
  io: IoServer
  message: MessengerMessage
  /** Known already (the post's transaction returns it); looked up when undefined. */
  meetingId?: string | null
}): Promise<void> {
  const { app, io, message } = options
  const meetingId =
    options.meetingId !== undefined
      ? options.meetingId
      : await findConversationMeetingId({ db: app.db, conversationId: message.conversationId })
  if (!meetingId) return
  io.to(socketRooms.meeting(meetingId)).emit('chat:message', {
    message: {
      id: message.id,
      seq: message.seq,
      senderId: message.sender.id,
      senderName: message.sender.name,
      body: message.body,
      createdAt: message.createdAt,
      idempotencyKey: message.idempotencyKey,
    },
  })
}

/**
 * Each user's own view of a conversation (role, unread count) after it changed. Only members have
 * one, so their sockets (re)join the conversation's room here too: new members start receiving.
 */
export async function announceConversation(options: {
  app: AppContext
  io: IoServer
  log: Logger
  conversationId: string
  userIds: Iterable<string>
}): Promise<void> {
  const { app, io, conversationId } = options
  for (const userId of new Set(options.userIds)) {
    try {
      const conversation = await getConversationSummary({ db: app.db, userId, conversationId })
      joinConversationRoom(io, [userId], conversationId)
      emitToUsers(io, [userId], 'messenger:conversation', { conversation })
    } catch (error) {
      options.log.warn({ err: error, conversationId, userId }, 'conversation update not sent')
    }
  }
}
