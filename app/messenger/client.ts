// The messenger in the browser: one socket.io connection for the signed-in shell, a state store
// (state.ts) the UI subscribes to, and the delivery guarantees on the client's side — every send
// has an idempotency key, stays pending until the server acknowledges it (after the commit), is
// retried with the same key after a reconnect, and every loaded conversation catches up with
// afterSeq from the last contiguous seq it holds.
import { io, type Socket } from 'socket.io-client'
import type { Ack } from '#core/protocol/ack.ts'
import {
  MESSENGER_PAGE_DEFAULT_LIMIT,
  TYPING_DISPLAY_MS,
  TYPING_THROTTLE_MS,
  type MessengerEventResults,
  type MessengerEventSchemas,
  type MessengerMessage,
  type MessengerServerEvents,
} from '#core/protocol/messenger.ts'
import type { z } from 'zod'
import {
  initialMessengerState,
  messengerReducer,
  needsCatchUp,
  type MessengerAction,
  type MessengerState,
  type PendingMessage,
} from './state.ts'

type MessengerEvent = keyof MessengerEventResults
type Payload<E extends MessengerEvent> = z.input<(typeof MessengerEventSchemas)[E]>

export const MESSENGER_REQUEST_TIMEOUT_MS = 10_000
/** A send whose ack does not come in this long is retried (same key) on the next connection. */
const SEND_TIMEOUT_MS = 15_000
const OUTBOX_STORAGE_PREFIX = 'vstrecha:messenger:outbox:'
const TYPING_SWEEP_MS = 1_000
const AWAY_AFTER_HIDDEN_MS = 60_000

/** Error codes that will not change on retry: the send is shown as failed. */
const FINAL_ERROR_CODES = new Set([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'RATE_LIMITED',
])
/** A server error (e.g. the database restarting) is retried with the same key after this long. */
const INTERNAL_RETRY_MS = 3_000

export class MessengerRequestError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

type ServerEventHandlers = {
  [E in keyof MessengerServerEvents]: (payload: MessengerServerEvents[E]) => void
}
type ClientEvents = {
  [E in MessengerEvent]: (
    payload: Payload<E>,
    ack: (result: Ack<MessengerEventResults[E]>) => void,
  ) => void
}

export type NewMessageNotice = {
  message: MessengerMessage
  isMention: boolean
  conversationTitle: string
}

export type MessengerClientOptions = {
  userId: string
  /** Conversation on screen (for unread counting and read markers). */
  getViewingConversationId?: () => string | null
}

export class MessengerClient {
  readonly userId: string
  private state: MessengerState = initialMessengerState
  private readonly listeners = new Set<() => void>()
  private readonly noticeListeners = new Set<(notice: NewMessageNotice) => void>()
  private socket: Socket<ServerEventHandlers, ClientEvents> | null = null
  private readonly inFlight = new Set<string>()
  private readonly catchingUp = new Set<string>()
  private lastTypingSent = new Map<string, number>()
  private typingTimer: ReturnType<typeof setInterval> | undefined
  private awayTimer: ReturnType<typeof setTimeout> | undefined
  private viewing: string | null = null
  private readonly unloaders: (() => void)[] = []

  constructor(options: MessengerClientOptions) {
    this.userId = options.userId
  }

  getState = (): MessengerState => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  /** New messages in conversations other than the one on screen (toasts, browser notifications). */
  onNotice(listener: (notice: NewMessageNotice) => void): () => void {
    this.noticeListeners.add(listener)
    return () => {
      this.noticeListeners.delete(listener)
    }
  }

  private dispatch(action: MessengerAction) {
    const next = messengerReducer(this.state, action)
    if (next === this.state) return
    this.state = next
    if (action.type === 'queued' || action.type === 'received' || action.type === 'discarded') {
      this.saveOutbox()
    }
    for (const listener of this.listeners) listener()
  }

  start() {
    if (this.socket) return
    this.restoreOutbox()
    const socket: Socket<ServerEventHandlers, ClientEvents> = io({
      // Its own connection, not one shared with the page's other io() callers (see socket-signaling).
      forceNew: true,
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 5_000,
      withCredentials: true,
    })
    this.socket = socket
    socket.on('connect', () => {
      this.dispatch({ type: 'connection', isConnected: true })
      void this.onConnected()
    })
    socket.on('disconnect', (reason) => {
      this.dispatch({ type: 'connection', isConnected: false })
      // The server closed us on purpose (a restart): socket.io does not come back by itself.
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 1_000)
    })
    socket.on('messenger:message', ({ message }) => this.receive(message, false))
    socket.on('messenger:messageBatch', ({ messages }) => {
      for (const message of messages) this.receive(message, false)
    })
    socket.on('messenger:messageUpdated', ({ message }) =>
      this.dispatch({ type: 'updated', message }),
    )
    socket.on('messenger:read', (payload) =>
      this.dispatch({ type: 'read', ...payload, myUserId: this.userId }),
    )
    socket.on('messenger:typing', ({ conversationId, userId, name }) => {
      if (userId === this.userId) return
      this.dispatch({
        type: 'typing',
        conversationId,
        userId,
        name,
        until: Date.now() + TYPING_DISPLAY_MS,
      })
    })
    socket.on('messenger:conversation', ({ conversation }) =>
      this.dispatch({ type: 'conversation', conversation }),
    )
    socket.on('messenger:removed', ({ conversationId }) =>
      this.dispatch({ type: 'removed', conversationId }),
    )
    socket.on('messenger:mention', ({ conversationId, message }) => {
      if (conversationId === this.viewingVisible()) return
      this.notify({
        message,
        isMention: true,
        conversationTitle: this.state.conversations[conversationId]?.title ?? '',
      })
    })
    socket.on('presence', ({ userId, status }) =>
      this.dispatch({ type: 'presence', userId, status }),
    )

    this.typingTimer = setInterval(
      () => this.dispatch({ type: 'typingExpired', now: Date.now() }),
      TYPING_SWEEP_MS,
    )
    const onVisibility = () => {
      clearTimeout(this.awayTimer)
      if (document.visibilityState === 'visible') {
        void this.request('messenger:setPresence', { status: 'online' }).catch(() => {})
        if (this.viewing) this.markRead(this.viewing)
      } else {
        this.awayTimer = setTimeout(() => {
          void this.request('messenger:setPresence', { status: 'away' }).catch(() => {})
        }, AWAY_AFTER_HIDDEN_MS)
      }
    }
    document.addEventListener('visibilitychange', onVisibility)
    this.unloaders.push(() => document.removeEventListener('visibilitychange', onVisibility))
  }

  stop() {
    clearInterval(this.typingTimer)
    clearTimeout(this.awayTimer)
    for (const unload of this.unloaders.splice(0)) unload()
    this.socket?.removeAllListeners()
    this.socket?.disconnect()
    this.socket = null
  }

  private viewingVisible(): string | null {
    if (typeof document !== 'undefined' && document.visibilityState !== 'visible') return null
    return this.viewing
  }

  private receive(message: MessengerMessage, isAck: boolean) {
    const isKnown = this.state.threads[message.conversationId]?.messages.some(
      (existing) => existing.id === message.id,
    )
    const wasLast = this.state.conversations[message.conversationId]?.lastSeq ?? 0
    const isViewing = message.conversationId === this.viewingVisible()
    this.dispatch({ type: 'received', message, myUserId: this.userId, isViewing })
    if (isAck) return
    if (!this.state.conversations[message.conversationId]) {
      // A conversation we did not know of (new DM to me): its summary comes with the list.
      void this.refreshList()
    }
    if (needsCatchUp(this.state.threads[message.conversationId])) {
      void this.catchUp(message.conversationId)
    }
    if (isViewing) this.markRead(message.conversationId)
    if (
      !isKnown &&
      message.seq > wasLast &&
      message.sender.id !== this.userId &&
      !isViewing &&
      !message.mentions.includes(this.userId)
    ) {
      this.notify({
        message,
        isMention: false,
        conversationTitle: this.state.conversations[message.conversationId]?.title ?? '',
      })
    }
  }

  private notify(notice: NewMessageNotice) {
    for (const listener of this.noticeListeners) listener(notice)
  }

  private async onConnected() {
    void this.request('messenger:setPresence', {
      status: document.visibilityState === 'visible' ? 'online' : 'away',
    }).catch(() => {})
    await this.refreshList()
    // Everything sent while offline (or whose ack was lost) goes again with its own key.
    void this.flushOutbox()
    for (const conversationId of Object.keys(this.state.threads)) {
      if (this.state.threads[conversationId]?.isLoaded) void this.catchUp(conversationId)
    }
    if (this.viewing) void this.openConversation(this.viewing)
  }

  async request<E extends MessengerEvent>(
    event: E,
    payload: Payload<E>,
    timeoutMs = MESSENGER_REQUEST_TIMEOUT_MS,
  ): Promise<MessengerEventResults[E]> {
    const socket = this.socket
    if (!socket?.connected) throw new MessengerRequestError('DISCONNECTED', 'Not connected')
    let result: Ack<MessengerEventResults[E]>
    try {
      const timed = socket.timeout(timeoutMs)
      // socket.io cannot follow a generic event name through its overloads.
      const emit = timed.emitWithAck.bind(timed) as (
        name: string,
        payload: unknown,
      ) => Promise<Ack<MessengerEventResults[E]>>
      result = await emit(event, payload)
    } catch (error) {
      throw new MessengerRequestError('TIMEOUT', (error as Error).message)
    }
    if (!result.ok) throw new MessengerRequestError(result.code, result.message)
    return result.data
  }

  async refreshList() {
    try {
      const { conversations } = await this.request('messenger:list', {})
      this.dispatch({ type: 'listed', conversations })
    } catch {
      // Offline: the next connect lists again.
    }
  }

  /** The conversation on screen: loads it, keeps it caught up and marks it read. */
  setViewing(conversationId: string | null) {
    this.viewing = conversationId
    if (conversationId) void this.openConversation(conversationId)
  }

  async openConversation(conversationId: string) {
    try {
      const opened = await this.request('messenger:open', { conversationId })
      // Refused before (e.g. a public channel not joined yet) but allowed now.
      this.openErrors.delete(conversationId)
      this.dispatch({ type: 'opened', ...opened })
      const thread = this.state.threads[conversationId]
      if (thread?.isLoaded) await this.catchUp(conversationId)
      else {
        const page = await this.request('messenger:messages', {
          conversationId,
          limit: MESSENGER_PAGE_DEFAULT_LIMIT,
        })
        this.dispatch({ type: 'page', conversationId, ...page })
      }
      if (conversationId === this.viewing) this.markRead(conversationId)
    } catch (error) {
      if (error instanceof MessengerRequestError && error.code !== 'DISCONNECTED') {
        this.openErrors.set(conversationId, error.code)
        for (const listener of this.listeners) listener()
      }
    }
  }

  /** Why a conversation could not be opened (NOT_FOUND / FORBIDDEN), if it could not. */
  readonly openErrors = new Map<string, string>()

  /** Fetches everything after the last contiguous seq, page by page. */
  async catchUp(conversationId: string) {
    if (this.catchingUp.has(conversationId)) return
    this.catchingUp.add(conversationId)
    try {
      for (let guard = 0; guard < 100; guard++) {
        const thread = this.state.threads[conversationId]
        if (!thread) return
        const afterSeq = thread.syncedSeq
        const page = await this.request('messenger:messages', {
          conversationId,
          afterSeq,
          limit: MESSENGER_PAGE_DEFAULT_LIMIT,
        })
        this.dispatch({ type: 'page', conversationId, afterSeq, ...page })
        if (!page.hasMore && !needsCatchUp(this.state.threads[conversationId])) break
      }
    } catch {
      // Offline again: the next connect catches up.
    } finally {
      this.catchingUp.delete(conversationId)
    }
  }

  async loadOlder(conversationId: string): Promise<void> {
    const thread = this.state.threads[conversationId]
    const oldest = thread?.messages[0]?.seq
    if (!thread?.hasOlder || oldest === undefined) return
    const page = await this.request('messenger:messages', {
      conversationId,
      beforeSeq: oldest,
      limit: MESSENGER_PAGE_DEFAULT_LIMIT,
    })
    this.dispatch({ type: 'page', conversationId, beforeSeq: oldest, ...page })
  }

  markRead(conversationId: string) {
    const conversation = this.state.conversations[conversationId]
    const thread = this.state.threads[conversationId]
    if (!conversation || !thread?.isLoaded) return
    const seq = Math.max(conversation.lastSeq, thread.messages.at(-1)?.seq ?? 0)
    if (seq <= conversation.lastReadSeq && conversation.unreadCount === 0) return
    this.dispatch({ type: 'read', conversationId, userId: this.userId, seq, myUserId: this.userId })
    void this.request('messenger:read', { conversationId, seq }).catch(() => {})
  }

  send(input: Omit<PendingMessage, 'idempotencyKey' | 'createdAt' | 'status' | 'error'>): string {
    const idempotencyKey = crypto.randomUUID()
    this.dispatch({
      type: 'queued',
      pending: { ...input, idempotencyKey, createdAt: new Date().toISOString(), status: 'pending' },
    })
    void this.deliver(idempotencyKey)
    return idempotencyKey
  }

  retry(idempotencyKey: string) {
    this.dispatch({ type: 'retrying', idempotencyKey })
    void this.deliver(idempotencyKey)
  }

  discard(idempotencyKey: string) {
    this.dispatch({ type: 'discarded', idempotencyKey })
  }

  private async flushOutbox() {
    // In order: the server answers one socket's requests one at a time, so seq follows this order.
    for (const pending of this.state.pending) {
      if (pending.status === 'pending') await this.deliver(pending.idempotencyKey)
    }
  }

  private async deliver(idempotencyKey: string) {
    const pending = this.state.pending.find((entry) => entry.idempotencyKey === idempotencyKey)
    if (!pending || this.inFlight.has(idempotencyKey) || !this.socket?.connected) return
    this.inFlight.add(idempotencyKey)
    try {
      const { message } = pending.forwardOf
        ? await this.request(
            'messenger:forward',
            {
              messageId: pending.forwardOf,
              toConversationId: pending.conversationId,
              idempotencyKey,
            },
            SEND_TIMEOUT_MS,
          )
        : await this.request(
            'messenger:post',
            {
              conversationId: pending.conversationId,
              body: pending.body,
              idempotencyKey,
              replyToId: pending.replyToId,
              attachmentIds: pending.attachmentIds?.length ? pending.attachmentIds : undefined,
              mentionIds: pending.mentionIds?.length ? pending.mentionIds : undefined,
            },
            SEND_TIMEOUT_MS,
          )
      this.receive({ ...message, idempotencyKey }, true)
    } catch (error) {
      const code = error instanceof MessengerRequestError ? error.code : 'UNKNOWN'
      if (FINAL_ERROR_CODES.has(code)) {
        this.dispatch({ type: 'failed', idempotencyKey, error: (error as Error).message })
      }
      // DISCONNECTED / TIMEOUT: stays pending; the next connect sends it again with the same key.
      if (code === 'INTERNAL' || code === 'TIMEOUT') {
        setTimeout(() => void this.deliver(idempotencyKey), INTERNAL_RETRY_MS)
      }
    } finally {
      this.inFlight.delete(idempotencyKey)
    }
  }

  typing(conversationId: string) {
    const now = Date.now()
    if (now - (this.lastTypingSent.get(conversationId) ?? 0) < TYPING_THROTTLE_MS) return
    this.lastTypingSent.set(conversationId, now)
    void this.request('messenger:typing', { conversationId }).catch(() => {})
  }

  clearTyping(conversationId: string) {
    this.lastTypingSent.delete(conversationId)
  }

  async requestPresence(userIds: string[]) {
    if (!userIds.length) return
    try {
      const { presence } = await this.request('messenger:presence', { userIds })
      for (const entry of presence) this.dispatch({ type: 'presence', ...entry })
    } catch {
      // Presence is a nicety; dots stay grey.
    }
  }

  /** Applies a message the server returned from an edit/react/pin/delete request. */
  applyUpdate(message: MessengerMessage) {
    this.dispatch({ type: 'updated', message })
  }

  applyConversation(conversation: MessengerState['conversations'][string]) {
    this.dispatch({ type: 'conversation', conversation })
  }

  // Pending sends survive a reload of the tab (they are not "sent" until acknowledged).
  private storageKey() {
    return OUTBOX_STORAGE_PREFIX + this.userId
  }

  private saveOutbox() {
    try {
      const pending = this.state.pending.filter((entry) => entry.status === 'pending')
      if (pending.length) sessionStorage.setItem(this.storageKey(), JSON.stringify(pending))
      else sessionStorage.removeItem(this.storageKey())
    } catch {
      // Storage full or disabled: the outbox lives in memory only.
    }
  }

  private restoreOutbox() {
    try {
      const raw = sessionStorage.getItem(this.storageKey())
      if (!raw) return
      for (const pending of JSON.parse(raw) as PendingMessage[]) {
        if (!this.state.pending.some((entry) => entry.idempotencyKey === pending.idempotencyKey)) {
          this.dispatch({ type: 'queued', pending })
        }
      }
    } catch {
      // A damaged entry is dropped.
    }
  }
}
