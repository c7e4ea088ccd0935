// Live messenger updates: every emit goes to the per-user rooms (socketRooms.user) of the people
// concerned, so it reaches each of their tabs on every web instance through the Redis adapter.
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
  listMemberIds,
} from '#server/services/messenger.ts'
import type { IoServer } from '#server/socket/types.ts'

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

/** A new (or re-acknowledged) message to every member; @mentions also get messenger:mention. */
export async function announceMessage(options: {
  app: AppContext
  io: IoServer
  message: MessengerMessage
  event?: 'messenger:message' | 'messenger:messageUpdated'
  notifyMentions?: boolean
}): Promise<void> {
  const { app, io, message } = options
  const memberIds = await listMemberIds({ db: app.db, conversationId: message.conversationId })
  emitToUsers(io, memberIds, options.event ?? 'messenger:message', { message })
  if (options.notifyMentions && message.mentions.length > 0) {
    const members = new Set(memberIds)
    emitToUsers(
      io,
      message.mentions.filter((id) => members.has(id)),
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
}): Promise<void> {
  const { app, io, message } = options
  const meetingId = await findConversationMeetingId({
    db: app.db,
    conversationId: message.conversationId,
  })
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

/** Each user's own view of a conversation (role, unread count) after it changed. */
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
      emitToUsers(io, [userId], 'messenger:conversation', { conversation })
    } catch (error) {
      options.log.warn({ err: error, conversationId, userId }, 'conversation update not sent')
    }
  }
}
