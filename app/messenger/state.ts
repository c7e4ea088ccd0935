// The messenger's client state as pure functions: conversations, each loaded conversation's
// messages (unique by id, ordered by seq), the sender's pending messages, and how far each
// conversation is known to be complete (`syncedSeq`) so a gap or a reconnect asks exactly for what
// is missing. MessengerClient (client.ts) owns one of these and feeds it socket events.
import type {
  ConversationMemberInfo,
  ConversationSummary,
  MessengerMessage,
  PresenceStatus,
} from '#core/protocol/messenger.ts'

export type PendingMessage = {
  idempotencyKey: string
  conversationId: string
  body: string
  replyToId?: string
  attachmentIds?: string[]
  mentionIds?: string[]
  /** Shown in the pending bubble until the server's copy arrives. */
  attachmentNames: string[]
  replyExcerpt?: string
  createdAt: string
  /** 'failed': the server refused it (too long, too fast, not allowed); `error` says why. */
  status: 'pending' | 'failed'
  error?: string
  /** Forwarded message: sent with messenger:forward instead of messenger:post. */
  forwardOf?: string
}

export type ConversationThread = {
  /** Ordered by seq, one per id. */
  messages: MessengerMessage[]
  /** Every seq up to here is in `messages` or known not to exist: catch-up asks afterSeq=syncedSeq. */
  syncedSeq: number
  /** Lowest seq loaded (older pages are fetched with beforeSeq=oldestSeq). */
  hasOlder: boolean
  isLoaded: boolean
  members: ConversationMemberInfo[]
  pinned: MessengerMessage[]
}

export type MessengerState = {
  conversations: Record<string, ConversationSummary>
  threads: Record<string, ConversationThread>
  pending: PendingMessage[]
  /** conversationId → userId → until (ms epoch) */
  typing: Record<string, Record<string, { name: string; until: number }>>
  presence: Record<string, PresenceStatus>
  isConnected: boolean
  hasListed: boolean
}

export const initialMessengerState: MessengerState = {
  conversations: {},
  threads: {},
  pending: [],
  typing: {},
  presence: {},
  isConnected: false,
  hasListed: false,
}

const emptyThread: ConversationThread = {
  messages: [],
  syncedSeq: 0,
  hasOlder: false,
  isLoaded: false,
  members: [],
  pinned: [],
}

/**
 * Merges `incoming` into `existing`: one copy per id (the newer version of an edited message
 * wins, a message's `seq` never changes), ordered by seq.
 */
export function mergeMessages(
  existing: MessengerMessage[],
  incoming: MessengerMessage[],
): MessengerMessage[] {
  if (incoming.length === 0) return existing
  const byId = new Map(existing.map((message) => [message.id, message]))
  for (const message of incoming) {
    const current = byId.get(message.id)
    byId.set(message.id, current ? newerVersion(current, message) : message)
  }
  return [...byId.values()].sort((a, b) => a.seq - b.seq)
}

/**
 * Which copy of one message to keep. Deletion is final; otherwise the later edit, and on a tie the
 * incoming one (reactions and pins change without an edit time).
 */
function newerVersion(current: MessengerMessage, incoming: MessengerMessage): MessengerMessage {
  if (current.deletedAt && !incoming.deletedAt) return current
  if (incoming.deletedAt) return incoming
  const currentEdit = current.editedAt ? Date.parse(current.editedAt) : 0
  const incomingEdit = incoming.editedAt ? Date.parse(incoming.editedAt) : 0
  return incomingEdit >= currentEdit ? incoming : current
}

/** The highest seq reached from `from` by consecutive seqs present in `messages` (sorted). */
export function contiguousThrough(messages: MessengerMessage[], from: number): number {
  let through = from
  for (const message of messages) {
    if (message.seq <= through) continue
    if (message.seq === through + 1) through = message.seq
    else break
  }
  return through
}

function withThread(
  state: MessengerState,
  conversationId: string,
  update: (thread: ConversationThread) => ConversationThread,
): MessengerState {
  const thread = state.threads[conversationId] ?? emptyThread
  return { ...state, threads: { ...state.threads, [conversationId]: update(thread) } }
}

export type MessengerAction =
  | { type: 'connection'; isConnected: boolean }
  | { type: 'listed'; conversations: ConversationSummary[] }
  | { type: 'conversation'; conversation: ConversationSummary }
  | { type: 'removed'; conversationId: string }
  | {
      type: 'opened'
      conversation: ConversationSummary
      members: ConversationMemberInfo[]
      pinned: MessengerMessage[]
    }
  /** A page of history: `afterSeq` for catch-up, `beforeSeq` for older, neither for the newest. */
  | {
      type: 'page'
      conversationId: string
      messages: MessengerMessage[]
      hasMore: boolean
      afterSeq?: number
      beforeSeq?: number
    }
  /** A live message (messenger:message) or the ack of one of mine. */
  | { type: 'received'; message: MessengerMessage; myUserId: string; isViewing: boolean }
  | { type: 'updated'; message: MessengerMessage }
  | { type: 'read'; conversationId: string; userId: string; seq: number; myUserId: string }
  | { type: 'typing'; conversationId: string; userId: string; name: string; until: number }
  | { type: 'typingExpired'; now: number }
  | { type: 'presence'; userId: string; status: PresenceStatus }
  | { type: 'queued'; pending: PendingMessage }
  | { type: 'failed'; idempotencyKey: string; error: string }
  | { type: 'retrying'; idempotencyKey: string }
  | { type: 'discarded'; idempotencyKey: string }

export function messengerReducer(state: MessengerState, action: MessengerAction): MessengerState {
  switch (action.type) {
    case 'connection':
      return { ...state, isConnected: action.isConnected }

    case 'listed': {
      const conversations: Record<string, ConversationSummary> = {}
      for (const conversation of action.conversations) {
        conversations[conversation.id] = conversation
      }
      return { ...state, conversations, hasListed: true }
    }

    case 'conversation':
      return {
        ...state,
        conversations: { ...state.conversations, [action.conversation.id]: action.conversation },
      }

    case 'removed': {
      const { [action.conversationId]: _gone, ...conversations } = state.conversations
      const { [action.conversationId]: _thread, ...threads } = state.threads
      return { ...state, conversations, threads }
    }

    case 'opened':
      return withThread(
        {
          ...state,
          conversations: { ...state.conversations, [action.conversation.id]: action.conversation },
        },
        action.conversation.id,
        (thread) => ({ ...thread, members: action.members, pinned: action.pinned }),
      )

    case 'page':
      return withThread(state, action.conversationId, (thread) => {
        const messages = mergeMessages(thread.messages, action.messages)
        if (action.beforeSeq !== undefined) {
          return { ...thread, messages, hasOlder: action.hasMore }
        }
        if (action.afterSeq !== undefined) {
          // Everything after afterSeq up to this page's last seq is here (a seq with no message
          // is a hole the server will never fill); with hasMore the next page continues from it.
          const pageEnd = action.messages.at(-1)?.seq ?? action.afterSeq
          const syncedSeq = Math.max(
            contiguousThrough(messages, Math.max(thread.syncedSeq, pageEnd)),
            action.hasMore ? 0 : (messages.at(-1)?.seq ?? 0),
          )
          return { ...thread, messages, syncedSeq, isLoaded: true }
        }
        // The newest page: complete from its first message on.
        const newest = action.messages.at(-1)?.seq ?? 0
        return {
          ...thread,
          messages,
          syncedSeq: Math.max(thread.syncedSeq, contiguousThrough(messages, newest)),
          hasOlder: thread.isLoaded ? thread.hasOlder : action.hasMore,
          isLoaded: true,
        }
      })

    case 'received': {
      const { message } = action
      const pending = message.idempotencyKey
        ? state.pending.filter((entry) => entry.idempotencyKey !== message.idempotencyKey)
        : state.pending
      let next: MessengerState = { ...state, pending }
      const thread = state.threads[message.conversationId]
      const isNew = !thread?.messages.some((existing) => existing.id === message.id)
      if (thread?.isLoaded) {
        next = withThread(next, message.conversationId, (current) => {
          const messages = mergeMessages(current.messages, [message])
          return { ...current, messages, syncedSeq: contiguousThrough(messages, current.syncedSeq) }
        })
      }
      const conversation = state.conversations[message.conversationId]
      if (conversation && message.seq > conversation.lastSeq) {
        const isMine = message.sender.id === action.myUserId
        const isRead = isMine || action.isViewing
        next = {
          ...next,
          conversations: {
            ...next.conversations,
            [conversation.id]: {
              ...conversation,
              lastSeq: message.seq,
              lastReadSeq: isMine ? message.seq : conversation.lastReadSeq,
              unreadCount:
                isRead || !isNew ? conversation.unreadCount : conversation.unreadCount + 1,
              lastMessage: {
                seq: message.seq,
                senderId: message.sender.id,
                senderName: message.sender.name,
                excerpt: message.body.slice(0, 120),
                createdAt: message.createdAt,
                isDeleted: Boolean(message.deletedAt),
                hasAttachments: message.attachments.length > 0,
              },
              updatedAt: message.createdAt,
            },
          },
        }
      }
      return next
    }

    case 'updated': {
      const { message } = action
      let next = state
      const thread = state.threads[message.conversationId]
      if (thread) {
        next = withThread(next, message.conversationId, (current) => {
          const isKnown = current.messages.some((existing) => existing.id === message.id)
          const pinnedWithout = current.pinned.filter((existing) => existing.id !== message.id)
          return {
            ...current,
            // An update for a message we have not loaded stays out: paging will bring it.
            messages: isKnown ? mergeMessages(current.messages, [message]) : current.messages,
            pinned:
              message.isPinned && !message.deletedAt
                ? [...pinnedWithout, message].sort((a, b) => a.seq - b.seq)
                : pinnedWithout,
          }
        })
      }
      const conversation = next.conversations[message.conversationId]
      if (conversation?.lastMessage?.seq === message.seq) {
        next = {
          ...next,
          conversations: {
            ...next.conversations,
            [conversation.id]: {
              ...conversation,
              lastMessage: {
                ...conversation.lastMessage,
                excerpt: message.deletedAt ? '' : message.body.slice(0, 120),
                isDeleted: Boolean(message.deletedAt),
              },
            },
          },
        }
      }
      return next
    }

    case 'read': {
      let next = state
      const conversation = state.conversations[action.conversationId]
      if (action.userId === action.myUserId && conversation) {
        if (action.seq > conversation.lastReadSeq) {
          const remaining = Math.max(0, conversation.lastSeq - action.seq)
          next = {
            ...next,
            conversations: {
              ...next.conversations,
              [conversation.id]: {
                ...conversation,
                lastReadSeq: action.seq,
                unreadCount: Math.min(conversation.unreadCount, remaining),
              },
            },
          }
        }
      }
      const thread = next.threads[action.conversationId]
      if (thread) {
        next = withThread(next, action.conversationId, (current) => ({
          ...current,
          members: current.members.map((member) =>
            member.userId === action.userId && action.seq > member.lastReadSeq
              ? { ...member, lastReadSeq: action.seq }
              : member,
          ),
        }))
      }
      return next
    }

    case 'typing':
      return {
        ...state,
        typing: {
          ...state.typing,
          [action.conversationId]: {
            ...state.typing[action.conversationId],
            [action.userId]: { name: action.name, until: action.until },
          },
        },
      }

    case 'typingExpired': {
      let isChanged = false
      const typing: MessengerState['typing'] = {}
      for (const [conversationId, people] of Object.entries(state.typing)) {
        const still = Object.fromEntries(
          Object.entries(people).filter(([, entry]) => entry.until > action.now),
        )
        if (Object.keys(still).length !== Object.keys(people).length) isChanged = true
        if (Object.keys(still).length) typing[conversationId] = still
      }
      return isChanged ? { ...state, typing } : state
    }

    case 'presence':
      return { ...state, presence: { ...state.presence, [action.userId]: action.status } }

    case 'queued':
      return { ...state, pending: [...state.pending, action.pending] }

    case 'failed':
      return {
        ...state,
        pending: state.pending.map((entry) =>
          entry.idempotencyKey === action.idempotencyKey
            ? { ...entry, status: 'failed', error: action.error }
            : entry,
        ),
      }

    case 'retrying':
      return {
        ...state,
        pending: state.pending.map((entry) =>
          entry.idempotencyKey === action.idempotencyKey
            ? { ...entry, status: 'pending', error: undefined }
            : entry,
        ),
      }

    case 'discarded':
      return {
        ...state,
        pending: state.pending.filter((entry) => entry.idempotencyKey !== action.idempotencyKey),
      }
  }
}

/** After a live message: is there a hole before it that a catch-up must fill? */
export function needsCatchUp(thread: ConversationThread | undefined): boolean {
  if (!thread?.isLoaded) return false
  const newest = thread.messages.at(-1)?.seq ?? 0
  return newest > thread.syncedSeq
}

/** Conversations newest first. */
export function sortedConversations(state: MessengerState): ConversationSummary[] {
  return Object.values(state.conversations).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
}

export function totalUnread(state: MessengerState): number {
  return Object.values(state.conversations).reduce((sum, c) => sum + c.unreadCount, 0)
}
