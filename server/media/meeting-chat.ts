// Meeting chat on web (docs/decisions/0010-meeting-chat-datachannel.md): authorizes, rate-limits and
// stores a message (whether it came over the sender's DataChannel or as chat:send), then delivers it
// through the room's DataProducer on the media-node and as chat:message to sockets without one.
import { AppError, isAppError } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import { canDo } from '#core/permissions.ts'
import {
  ChatBodySchema,
  ChatDataSendSchema,
  type ChatDataServerMessage,
  type ChatMessage,
} from '#core/protocol/chat.ts'
import type { MediaEvent } from '#core/protocol/media-rpc.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import type { AppContext } from '#server/app-context.ts'
import { announceMeetingChatMessage } from '#server/messenger/fanout.ts'
import { getOrCreateMeetingConversation, postMessage } from '#server/services/chat.ts'
import type { IoServer, IoSocket, MediaSession } from '#server/socket/types.ts'
import { nodeOf } from './peer-calls.ts'
import { callMedia } from './rpc-client.ts'

type ChatContext = { app: AppContext; io: IoServer; log: Logger }

/** Chat is open to the sender now: admitted, and chat on or a moderator (core/permissions.ts). */
async function authorizeChatSend(app: AppContext, meetingId: string, userId: string) {
  const row = await app.db
    .selectFrom('meetingParticipant')
    .innerJoin('meeting', 'meeting.id', 'meetingParticipant.meetingId')
    .select([
      'meetingParticipant.role',
      'meetingParticipant.status',
      'meeting.status as meetingStatus',
      'meeting.isChatEnabled',
      'meeting.screenSharePolicy',
      'meeting.allowSelfUnmute',
    ])
    .where('meetingParticipant.meetingId', '=', meetingId)
    .where('meetingParticipant.userId', '=', userId)
    .executeTakeFirst()
  if (!row || row.status !== 'admitted') {
    throw new AppError('FORBIDDEN', 'You are not in this meeting')
  }
  if (row.meetingStatus === 'ended' || row.meetingStatus === 'cancelled') {
    throw new AppError('CONFLICT', 'This meeting has ended')
  }
  if (!canDo(row.role, 'chat.send', row)) {
    throw new AppError('FORBIDDEN', 'Chat is turned off: only the organizer and co-hosts can write')
  }
}

/** Stores a message from the socket's participant and delivers it to the meeting. */
export async function sendMeetingMessage(
  context: ChatContext & {
    socket: IoSocket
    session: MediaSession
    body: string
    idempotencyKey: string
  },
): Promise<ChatMessage> {
  const { app, session, socket } = context
  const userId = socket.data.userId
  await authorizeChatSend(app, session.meetingId, userId)
  try {
    await app.rateLimits.consume('chatSend', userId)
  } catch (error) {
    if (isAppError(error) && error.code === 'RATE_LIMITED') {
      throw new AppError(
        'RATE_LIMITED',
        `You are sending messages too fast; wait ${error.retryAfter ?? 1} s`,
        { retryAfter: error.retryAfter },
      )
    }
    throw error
  }
  const conversation = await getOrCreateMeetingConversation({
    db: app.db,
    meetingId: session.meetingId,
  })
  const { message, isNew } = await postMessage({
    db: app.db,
    conversationId: conversation.id,
    senderId: userId,
    body: context.body,
    idempotencyKey: context.idempotencyKey,
  })
  if (isNew) {
    await deliverMeetingMessage({ ...context, message })
  } else {
    // A retry of a stored message: the others had it already; the sender may have missed it.
    socket.emit('chat:message', { message })
  }
  return message
}

/**
 * Everyone in the meeting gets the message once: over the room's DataProducer if their socket
 * consumes it (socket room chatData), as chat:message otherwise. If the node cannot send (its room
 * is being rebuilt), everyone gets chat:message; clients de-duplicate by id.
 */
async function deliverMeetingMessage(
  context: ChatContext & { session: MediaSession; message: ChatMessage },
): Promise<void> {
  const { app, io, session, message } = context
  // The messenger lists meeting chats too: members outside the meeting see the message live.
  void announceMeetingChatMessage({ app, io, messageId: message.id }).catch((error: unknown) =>
    context.log.warn({ err: error }, 'messenger fan-out of a meeting message failed'),
  )
  const meeting = io.to(socketRooms.meeting(session.meetingId))
  const payload: ChatDataServerMessage = { type: 'message', message }
  try {
    await callMedia(app.mediaRpc, nodeOf(session), 'sendData', {
      roomId: session.meetingId,
      payload: JSON.stringify(payload),
    })
  } catch (error) {
    context.log.warn(
      { err: error, meetingId: session.meetingId },
      'chat over the data channel failed; sending it over the sockets',
    )
    meeting.emit('chat:message', { message })
    return
  }
  meeting.except(socketRooms.chatData(session.meetingId)).emit('chat:message', { message })
}

/** This instance's socket of a peer, if it is here (every instance hears every media event). */
function localSocketOfPeer(io: IoServer, peerId: string): IoSocket | undefined {
  const namespace = io.of('/')
  for (const socketId of namespace.adapter.rooms.get(socketRooms.peer(peerId)) ?? []) {
    const socket = namespace.sockets.get(socketId)
    if (socket?.data.media?.peerId === peerId) return socket
  }
  return undefined
}

/** The idempotency key of a message that failed validation, if it has a readable one. */
function keyOf(json: unknown): string | null {
  if (typeof json !== 'object' || json === null) return null
  const key = (json as { idempotencyKey?: unknown }).idempotencyKey
  return typeof key === 'string' && key.length <= 64 ? key : null
}

/**
 * Handles the node's `data-message` / `data-message-rejected` events. Only the instance holding the
 * sender's socket acts, so each message is stored once; a peer's messages are handled in order.
 */
export function createDataMessageHandler(context: ChatContext) {
  const { io, log } = context
  const chains = new Map<string, Promise<void>>()

  const handle = async (
    event: Extract<MediaEvent, { type: 'data-message' | 'data-message-rejected' }>,
    socket: IoSocket,
  ) => {
    const session = socket.data.media
    if (!session || session.meetingId !== event.roomId) return
    const reject = (idempotencyKey: string | null, error: unknown) => {
      const code = isAppError(error) ? error.code : 'INTERNAL'
      const message = isAppError(error) ? error.message : 'Internal error'
      if (!isAppError(error)) log.error({ err: error, peerId: event.peerId }, 'chat message failed')
      socket.emit('chat:rejected', { idempotencyKey, code, message })
    }
    if (event.type === 'data-message-rejected') {
      reject(null, new AppError('BAD_REQUEST', 'Message is too large'))
      return
    }
    let json: unknown
    try {
      json = JSON.parse(event.payload)
    } catch {
      reject(null, new AppError('BAD_REQUEST', 'A chat message must be JSON'))
      return
    }
    const parsed = ChatDataSendSchema.safeParse(json)
    if (!parsed.success) {
      const bodyIssue = ChatBodySchema.safeParse((json as { body?: unknown }).body)
      const text = bodyIssue.success
        ? 'Invalid chat message'
        : (bodyIssue.error.issues[0]?.message ?? 'Invalid chat message')
      reject(keyOf(json), new AppError('BAD_REQUEST', text))
      return
    }
    try {
      await sendMeetingMessage({
        ...context,
        socket,
        session,
        body: parsed.data.body,
        idempotencyKey: parsed.data.idempotencyKey,
      })
    } catch (error) {
      reject(parsed.data.idempotencyKey, error)
    }
  }

  return (event: MediaEvent) => {
    if (event.type !== 'data-message' && event.type !== 'data-message-rejected') return
    const socket = localSocketOfPeer(io, event.peerId)
    if (!socket) return
    const previous = chains.get(event.peerId) ?? Promise.resolve()
    const next = previous
      .then(() => handle(event, socket))
      .catch((error: unknown) => {
        log.error({ err: error, peerId: event.peerId }, 'chat message failed')
      })
    chains.set(event.peerId, next)
    void next.finally(() => {
      if (chains.get(event.peerId) === next) chains.delete(event.peerId)
    })
  }
}
