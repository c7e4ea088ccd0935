// The meeting chat in the browser (docs/decisions/0010-meeting-chat-datachannel.md): messages go out
// over the chat DataProducer of the room's send transport and come in over a DataConsumer of the
// room's DataProducer on the recv transport; chat:send / chat:message on the socket when SCTP is not
// there. Framework-free like RoomClient; React reads it through `subscribe`/`getSnapshot`.
//
// Every message carries an idempotency key made once, so a message resent after a drop, a media
// reset or a silent DataChannel is stored once; messages are kept by id and ordered by seq.
import type { types } from 'mediasoup-client'
import {
  CHAT_DATA_LABEL,
  CHAT_HISTORY_MAX_LIMIT,
  CHAT_MESSAGE_MAX_CHARS,
  type ChatDataSend,
  type ChatDataServerMessage,
  type ChatMessage,
} from '#core/protocol/chat.ts'
import type { DataSession } from './room-client.ts'
import { SignalingError, type SignalingConnection } from './signaling.ts'

/** How a message reached us: the live DataChannel, the socket, or a history page. */
export type ChatVia = 'datachannel' | 'socket' | 'history'
export type ReceivedChatMessage = ChatMessage & { via: ChatVia }

export type PendingChatMessage = {
  idempotencyKey: string
  body: string
  /** ISO time it was written here. */
  createdAt: string
  status: 'sending' | 'failed'
  /** Why it failed (the server's message), when it did. */
  error: string | null
}

export type ChatChannel = 'connecting' | 'datachannel' | 'socket'

export type MeetingChatState = {
  /** Stored messages by seq, each once. */
  messages: ReceivedChatMessage[]
  /** Mine that are not confirmed stored yet, oldest first. */
  pending: PendingChatMessage[]
  channel: ChatChannel
  /** Messages from others that arrived while the panel was closed. */
  unread: number
  isOpen: boolean
  isHistoryLoaded: boolean
}

export type ChatAction =
  | { type: 'received'; messages: ChatMessage[]; via: ChatVia; myUserId: string }
  | { type: 'queued'; message: PendingChatMessage }
  | { type: 'retrying'; idempotencyKey: string }
  | { type: 'failed'; idempotencyKey: string; error: string }
  | { type: 'channel'; channel: ChatChannel }
  | { type: 'open'; isOpen: boolean }
  | { type: 'historyLoaded' }

export function createInitialChatState(): MeetingChatState {
  return {
    messages: [],
    pending: [],
    channel: 'connecting',
    unread: 0,
    isOpen: false,
    isHistoryLoaded: false,
  }
}

export function chatReducer(state: MeetingChatState, action: ChatAction): MeetingChatState {
  switch (action.type) {
    case 'received': {
      const known = new Set(state.messages.map((message) => message.id))
      const fresh = action.messages.filter((message) => !known.has(message.id))
      if (fresh.length === 0) return state
      const confirmed = new Set(
        fresh.filter((m) => m.senderId === action.myUserId).map((m) => m.idempotencyKey),
      )
      const messages = [...state.messages, ...fresh.map((m) => ({ ...m, via: action.via }))].sort(
        (a, b) => a.seq - b.seq,
      )
      // History is what happened before we looked; only live messages from others are news.
      const news =
        action.via === 'history' || state.isOpen
          ? 0
          : fresh.filter((m) => m.senderId !== action.myUserId).length
      return {
        ...state,
        messages,
        pending: state.pending.filter((p) => !confirmed.has(p.idempotencyKey)),
        unread: state.unread + news,
      }
    }
    case 'queued':
      return { ...state, pending: [...state.pending, action.message] }
    case 'retrying':
    case 'failed': {
      const pending = state.pending.map((p) =>
        p.idempotencyKey !== action.idempotencyKey
          ? p
          : action.type === 'failed'
            ? { ...p, status: 'failed' as const, error: action.error }
            : { ...p, status: 'sending' as const, error: null },
      )
      return { ...state, pending }
    }
    case 'channel':
      return state.channel === action.channel ? state : { ...state, channel: action.channel }
    case 'open':
      return { ...state, isOpen: action.isOpen, unread: action.isOpen ? 0 : state.unread }
    case 'historyLoaded':
      return state.isHistoryLoaded ? state : { ...state, isHistoryLoaded: true }
  }
}

// A DataChannel message not confirmed (our own copy back from the room) by then goes again over
// the socket with the same key: stored once either way.
const DATA_CONFIRM_TIMEOUT_MS = 5_000
// A chat DataChannel that does not open by then is given up for this session: the socket instead.
const DATA_OPEN_TIMEOUT_MS = 10_000
// History pages fetched at most on one (re)join: 50 × 100 messages.
const MAX_HISTORY_PAGES = 50
// Errors after which sending the same message again cannot help.
const FINAL_SEND_CODES = new Set(['BAD_REQUEST', 'FORBIDDEN', 'RATE_LIMITED', 'NOT_FOUND'])

export type MeetingChatOptions = {
  signaling: SignalingConnection
  /** The room's media sessions (RoomClient.onDataSession). */
  onDataSession: (listener: (session: DataSession | null) => void) => () => void
  myUserId: string
  createKey?: () => string
  onError?: (message: string, error: unknown) => void
}

type DataLink = {
  session: DataSession
  producer: types.DataProducer | null
  consumer: types.DataConsumer | null
}

export class MeetingChat {
  private state = createInitialChatState()
  private readonly listeners = new Set<() => void>()
  private readonly options: MeetingChatOptions
  private readonly signaling: SignalingConnection
  private link: DataLink | null = null
  private readonly confirmTimers = new Map<string, ReturnType<typeof setTimeout>>()
  private readonly stopSessions: () => void
  private isDisposed = false

  constructor(options: MeetingChatOptions) {
    this.options = options
    this.signaling = options.signaling
    this.signaling.on('chat:message', ({ message }) => this.receive([message], 'socket'))
    this.signaling.on('chat:rejected', ({ idempotencyKey, message }) => {
      if (idempotencyKey) this.fail(idempotencyKey, message)
      else this.report('a chat message was refused', message)
    })
    this.stopSessions = options.onDataSession((session) => {
      if (session) void this.attach(session)
      else this.detach()
    })
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): MeetingChatState => this.state

  private dispatch(action: ChatAction) {
    const next = chatReducer(this.state, action)
    if (next === this.state) return
    this.state = next
    for (const listener of this.listeners) listener()
  }

  private report(message: string, error: unknown) {
    this.options.onError?.(message, error)
  }

  /** The panel is on screen: nothing is unread while it is. */
  setOpen(isOpen: boolean) {
    this.dispatch({ type: 'open', isOpen })
  }

  /** Queues a message (trimmed; empty or too long ones are refused here) and sends it. */
  send(text: string): boolean {
    const body = text.trim()
    if (!body || body.length > CHAT_MESSAGE_MAX_CHARS || this.isDisposed) return false
    const message: PendingChatMessage = {
      idempotencyKey: this.options.createKey?.() ?? crypto.randomUUID(),
      body,
      createdAt: new Date().toISOString(),
      status: 'sending',
      error: null,
    }
    this.dispatch({ type: 'queued', message })
    void this.deliver(message)
    return true
  }

  /** Sends a failed message again, with its original key. */
  retry(idempotencyKey: string) {
    const message = this.state.pending.find((p) => p.idempotencyKey === idempotencyKey)
    if (!message) return
    this.dispatch({ type: 'retrying', idempotencyKey })
    void this.deliver(message)
  }

  dispose() {
    this.isDisposed = true
    this.stopSessions()
    this.detach()
  }

  // ── Sessions ─────────────────────────────────────────────────────────────────────────────────

  private async attach(session: DataSession) {
    this.detach()
    const link: DataLink = { session, producer: null, consumer: null }
    this.link = link
    this.dispatch({ type: 'channel', channel: 'connecting' })
    await this.loadHistory(session)
    if (session.isSctpEnabled) {
      try {
        await this.openDataChannels(link)
      } catch (error) {
        if (!this.isLive(link)) return
        this.report('chat DataChannel unavailable; using the socket', error)
        this.closeLink(link)
      }
    }
    if (!this.isLive(link)) return
    this.dispatch({ type: 'channel', channel: link.producer ? 'datachannel' : 'socket' })
    // Anything that arrived between the history page and the channel opening.
    await this.loadHistory(session)
    for (const message of this.state.pending) {
      if (message.status === 'sending') void this.deliver(message)
    }
  }

  private detach() {
    const link = this.link
    this.link = null
    for (const timer of this.confirmTimers.values()) clearTimeout(timer)
    this.confirmTimers.clear()
    if (link) this.closeLink(link)
    if (!this.isDisposed) this.dispatch({ type: 'channel', channel: 'connecting' })
  }

  private closeLink(link: DataLink) {
    link.producer?.close()
    link.consumer?.close()
    link.producer = null
    link.consumer = null
  }

  private isLive(link: DataLink) {
    return this.link === link && link.session.isCurrent() && !this.isDisposed
  }

  private async openDataChannels(link: DataLink) {
    const send = await link.session.sendTransport()
    const producer = await send.produceData({ ordered: true, label: CHAT_DATA_LABEL })
    if (!this.isLive(link)) return void producer.close()
    const recv = await link.session.recvTransport()
    const options = await this.signaling.request('media:consumeData', {})
    if (!this.isLive(link)) return void producer.close()
    const consumer = await recv.consumeData({
      id: options.id,
      dataProducerId: options.dataProducerId,
      sctpStreamParameters: options.sctpStreamParameters as types.SctpStreamParameters,
      label: options.label,
      protocol: options.protocol,
    })
    if (!this.isLive(link)) {
      producer.close()
      consumer.close()
      return
    }
    link.consumer = consumer
    consumer.on('message', (data: unknown) => {
      if (typeof data !== 'string') return
      try {
        const parsed = JSON.parse(data) as ChatDataServerMessage
        if (parsed.type === 'message') this.receive([parsed.message], 'datachannel')
      } catch (error) {
        this.report('unreadable chat message', error)
      }
    })
    await Promise.all([waitOpen(producer), waitOpen(consumer)])
    link.producer = producer
    producer.on('close', () => {
      if (link.producer === producer) link.producer = null
    })
  }

  private async loadHistory(session: DataSession) {
    const lastSeq = this.state.messages.at(-1)?.seq
    try {
      if (lastSeq === undefined) {
        // Everything, newest page first: a late joiner sees the whole conversation.
        let beforeSeq: number | undefined
        for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
          const result = await this.signaling.request('chat:history', {
            beforeSeq,
            limit: CHAT_HISTORY_MAX_LIMIT,
          })
          if (!session.isCurrent()) return
          this.receive(result.messages, 'history')
          if (!result.hasMore || result.messages.length === 0) break
          beforeSeq = result.messages[0]!.seq
        }
      } else {
        let afterSeq = lastSeq
        for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
          const result = await this.signaling.request('chat:history', {
            afterSeq,
            limit: CHAT_HISTORY_MAX_LIMIT,
          })
          if (!session.isCurrent()) return
          this.receive(result.messages, 'history')
          if (!result.hasMore || result.messages.length === 0) break
          afterSeq = result.messages.at(-1)!.seq
        }
      }
      this.dispatch({ type: 'historyLoaded' })
    } catch (error) {
      if (session.isCurrent()) this.report('chat history failed', error)
    }
  }

  // ── Sending and receiving ────────────────────────────────────────────────────────────────────

  private receive(messages: ChatMessage[], via: ChatVia) {
    for (const message of messages) {
      clearTimeout(this.confirmTimers.get(message.idempotencyKey))
      this.confirmTimers.delete(message.idempotencyKey)
    }
    this.dispatch({ type: 'received', messages, via, myUserId: this.options.myUserId })
  }

  private fail(idempotencyKey: string, error: string) {
    clearTimeout(this.confirmTimers.get(idempotencyKey))
    this.confirmTimers.delete(idempotencyKey)
    this.dispatch({ type: 'failed', idempotencyKey, error })
  }

  private isPending(idempotencyKey: string) {
    return this.state.pending.some(
      (p) => p.idempotencyKey === idempotencyKey && p.status === 'sending',
    )
  }

  /**
   * Over the DataChannel when it is open (confirmed by our own copy coming back), else over the
   * socket; without a session it waits for the next one (attach sends what is still pending).
   */
  private async deliver(message: PendingChatMessage) {
    const link = this.link
    if (!link || !this.isLive(link)) return
    const { idempotencyKey, body } = message
    const producer = link.producer
    if (producer && producer.readyState === 'open') {
      const payload: ChatDataSend = { type: 'send', body, idempotencyKey }
      try {
        producer.send(JSON.stringify(payload))
        clearTimeout(this.confirmTimers.get(idempotencyKey))
        this.confirmTimers.set(
          idempotencyKey,
          setTimeout(() => {
            this.confirmTimers.delete(idempotencyKey)
            if (this.isPending(idempotencyKey)) void this.sendOverSocket(link, message)
          }, DATA_CONFIRM_TIMEOUT_MS),
        )
        return
      } catch (error) {
        this.report('chat DataChannel send failed; using the socket', error)
      }
    }
    await this.sendOverSocket(link, message)
  }

  private async sendOverSocket(link: DataLink, message: PendingChatMessage) {
    if (!this.isLive(link) || !this.isPending(message.idempotencyKey)) return
    try {
      const { message: stored } = await this.signaling.request('chat:send', {
        body: message.body,
        idempotencyKey: message.idempotencyKey,
      })
      this.receive([stored], 'socket')
    } catch (error) {
      const code = error instanceof SignalingError ? error.code : 'INTERNAL'
      // A drop or timeout: still pending, sent again on the next session.
      if (FINAL_SEND_CODES.has(code)) {
        this.fail(message.idempotencyKey, serverMessage(error))
      } else {
        this.report('chat send failed; will retry', error)
      }
    }
  }
}

function serverMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  // SignalingError messages read "<event>: <server message>".
  return text.replace(/^[\w:]+: /, '')
}

/** The events both a DataProducer and a DataConsumer emit about their channel. */
type ChannelEvents = {
  readyState: RTCDataChannelState
  on(event: 'open' | 'close', listener: () => void): unknown
  on(event: 'error', listener: (error: unknown) => void): unknown
}

function waitOpen(channel: ChannelEvents): Promise<void> {
  if (channel.readyState === 'open') return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('chat DataChannel did not open')),
      DATA_OPEN_TIMEOUT_MS,
    )
    channel.on('open', () => {
      clearTimeout(timer)
      resolve()
    })
    channel.on('error', (error: unknown) => {
      clearTimeout(timer)
      reject(error instanceof Error ? error : new Error('chat DataChannel error'))
    })
    channel.on('close', () => {
      clearTimeout(timer)
      reject(new Error('chat DataChannel closed'))
    })
  })
}
