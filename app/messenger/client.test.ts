// MessengerClient's delivery guarantees against a fake socket and a small in-memory server: a send
// keeps its idempotency key across reconnects (a lost ack never duplicates), refused sends show
// as failed, and a reconnect catches up each loaded conversation from its last contiguous seq.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MessengerMessage } from '#core/protocol/messenger.ts'
import { conversationSummary, messengerMessage } from '#tests/fixtures/messenger-message.ts'

type Handler = (...args: unknown[]) => void

const CONVERSATION = '00000000-0000-4000-8000-00000000000c'
const ME = 'me'

/** The server side: one conversation, idempotent posts, history by seq. */
class FakeServer {
  messages: MessengerMessage[] = []
  byKey = new Map<string, MessengerMessage>()
  requests: { event: string; payload: Record<string, unknown> }[] = []
  /** Store the next post but never answer it (the connection drops first). */
  dropNextAck = false
  refuseNext: string | null = null

  store(body: string, senderId = 'other', idempotencyKey = ''): MessengerMessage {
    const message = messengerMessage(this.messages.length + 1, {
      conversationId: CONVERSATION,
      sender: { id: senderId, name: senderId },
      body,
      idempotencyKey,
    })
    this.messages.push(message)
    return message
  }

  summary() {
    return conversationSummary({ id: CONVERSATION, lastSeq: this.messages.length })
  }

  /** undefined: no answer at all. */
  handle(event: string, payload: Record<string, unknown>): unknown {
    this.requests.push({ event, payload })
    switch (event) {
      case 'messenger:list':
        return { ok: true, data: { conversations: [this.summary()] } }
      case 'messenger:open':
        return { ok: true, data: { conversation: this.summary(), members: [], pinned: [] } }
      case 'messenger:messages': {
        const afterSeq = payload.afterSeq as number | undefined
        const limit = (payload.limit as number | undefined) ?? 50
        const page =
          afterSeq === undefined
            ? this.messages.slice(-limit)
            : this.messages.filter((m) => m.seq > afterSeq).slice(0, limit)
        const hasMore =
          afterSeq === undefined
            ? this.messages.length > limit
            : this.messages.filter((m) => m.seq > afterSeq).length > limit
        return { ok: true, data: { messages: page, hasMore } }
      }
      case 'messenger:post': {
        if (this.refuseNext) {
          const code = this.refuseNext
          this.refuseNext = null
          return { ok: false, code, message: 'Too many messages, wait a moment' }
        }
        const key = payload.idempotencyKey as string
        const message = this.byKey.get(key) ?? this.store(payload.body as string, ME, key)
        this.byKey.set(key, message)
        if (this.dropNextAck) {
          this.dropNextAck = false
          return undefined
        }
        return { ok: true, data: { message } }
      }
      default:
        return { ok: true, data: {} }
    }
  }
}

class FakeSocket {
  connected = false
  handlers = new Map<string, Handler[]>()
  readonly server: FakeServer
  constructor(server: FakeServer) {
    this.server = server
  }
  on(event: string, handler: Handler) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler])
    return this
  }
  fire(event: string, ...args: unknown[]) {
    for (const handler of this.handlers.get(event) ?? []) handler(...args)
  }
  timeout() {
    return {
      emitWithAck: (event: string, payload: Record<string, unknown>) => {
        if (!this.connected) return Promise.reject(new Error('disconnected'))
        const answer = this.server.handle(event, payload)
        if (answer === undefined) {
          // The connection drops before the ack.
          return new Promise((_, reject) =>
            setTimeout(() => {
              this.goOffline()
              reject(new Error('operation has timed out'))
            }, 0),
          )
        }
        return Promise.resolve(answer)
      },
    }
  }
  connect() {
    this.connected = true
    this.fire('connect')
  }
  goOffline() {
    this.connected = false
    this.fire('disconnect', 'transport close')
  }
  disconnect() {
    this.connected = false
  }
  removeAllListeners() {
    this.handlers.clear()
  }
}

let server: FakeServer
let socket: FakeSocket

vi.mock('socket.io-client', () => ({
  io: () => {
    socket = new FakeSocket(server)
    return socket
  },
}))

const { MessengerClient } = await import('./client.ts')

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setTimeout(resolve, 0))
}

beforeEach(() => {
  server = new FakeServer()
  const storage = new Map<string, string>()
  vi.stubGlobal('document', {
    visibilityState: 'visible',
    addEventListener: () => {},
    removeEventListener: () => {},
  })
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  })
})
afterEach(() => {
  vi.unstubAllGlobals()
})

async function startedClient() {
  const client = new MessengerClient({ userId: ME })
  client.start()
  socket.connect()
  await flush()
  client.setViewing(CONVERSATION)
  await flush()
  return client
}

const bodies = (client: InstanceType<typeof MessengerClient>) =>
  client.getState().threads[CONVERSATION]?.messages.map((m) => `${m.seq}:${m.body}`)

describe('MessengerClient', () => {
  it('a send whose ack was lost is retried with the same key after reconnect: stored once', async () => {
    server.store('hello')
    const client = await startedClient()
    server.dropNextAck = true
    client.send({ conversationId: CONVERSATION, body: 'mine', attachmentNames: [] })
    await flush()
    // Stored on the server, but this client never heard back: still pending, now offline.
    expect(server.messages).toHaveLength(2)
    expect(client.getState().pending).toHaveLength(1)
    expect(client.getState().isConnected).toBe(false)

    socket.connect()
    await flush()
    const posts = server.requests.filter((request) => request.event === 'messenger:post')
    expect(posts).toHaveLength(2)
    expect(posts[1]?.payload.idempotencyKey).toBe(posts[0]?.payload.idempotencyKey)
    expect(server.messages).toHaveLength(2)
    expect(client.getState().pending).toEqual([])
    expect(bodies(client)).toEqual(['1:hello', '2:mine'])
  })

  it('a send made while offline goes out on connect, in order', async () => {
    const client = await startedClient()
    socket.goOffline()
    client.send({ conversationId: CONVERSATION, body: 'one', attachmentNames: [] })
    client.send({ conversationId: CONVERSATION, body: 'two', attachmentNames: [] })
    await flush()
    expect(client.getState().pending.map((p) => p.status)).toEqual(['pending', 'pending'])
    socket.connect()
    await flush()
    expect(bodies(client)).toEqual(['1:one', '2:two'])
    expect(client.getState().pending).toEqual([])
  })

  it('a refused send is shown as failed with the reason; retry keeps the key', async () => {
    const client = await startedClient()
    server.refuseNext = 'RATE_LIMITED'
    const key = client.send({ conversationId: CONVERSATION, body: 'fast', attachmentNames: [] })
    await flush()
    expect(client.getState().pending[0]).toMatchObject({
      idempotencyKey: key,
      status: 'failed',
      error: 'Too many messages, wait a moment',
    })
    client.retry(key)
    await flush()
    expect(client.getState().pending).toEqual([])
    expect(server.messages[0]?.idempotencyKey).toBe(key)
  })

  it('after a reconnect each loaded conversation catches up from its last contiguous seq', async () => {
    for (let n = 1; n <= 3; n++) server.store(`m${n}`)
    const client = await startedClient()
    expect(bodies(client)).toEqual(['1:m1', '2:m2', '3:m3'])
    socket.goOffline()
    for (let n = 4; n <= 60; n++) server.store(`m${n}`)
    server.requests = []
    socket.connect()
    await flush()
    const catchUps = server.requests.filter(
      (request) => request.event === 'messenger:messages' && request.payload.afterSeq !== undefined,
    )
    expect(catchUps[0]?.payload.afterSeq).toBe(3)
    expect(bodies(client)).toEqual(Array.from({ length: 60 }, (_, i) => `${i + 1}:m${i + 1}`))
  })

  it('a live message after a hole triggers a catch-up; duplicates are dropped', async () => {
    server.store('m1')
    const client = await startedClient()
    server.store('m2')
    server.store('m3')
    const live = server.store('m4')
    socket.fire('messenger:message', { message: live })
    socket.fire('messenger:message', { message: live })
    await flush()
    expect(bodies(client)).toEqual(['1:m1', '2:m2', '3:m3', '4:m4'])
  })
  it('a messenger:messageBatch frame is each of its messages in order; repeats are dropped', async () => {
    server.store('m1')
    const client = await startedClient()
    const batch = ['m2', 'm3', 'm4'].map((body) => server.store(body))
    socket.fire('messenger:messageBatch', { conversationId: CONVERSATION, messages: batch })
    socket.fire('messenger:message', { message: batch[2] })
    await flush()
    expect(bodies(client)).toEqual(['1:m1', '2:m2', '3:m3', '4:m4'])
    expect(client.getState().conversations[CONVERSATION]?.lastSeq).toBe(4)
    // A batch after a hole: the hole is fetched (catch-up), nothing duplicated.
    server.store('m5')
    const later = ['m6', 'm7'].map((body) => server.store(body))
    server.requests = []
    socket.fire('messenger:messageBatch', { conversationId: CONVERSATION, messages: later })
    await flush()
    const catchUps = server.requests.filter(
      (request) => request.event === 'messenger:messages' && request.payload.afterSeq !== undefined,
    )
    expect(catchUps[0]?.payload.afterSeq).toBe(4)
    expect(bodies(client)).toEqual(Array.from({ length: 7 }, (_, i) => `${i + 1}:m${i + 1}`))
  })
})
