// The chat benchmark's sender (bench/chat/fanout.ts), in a process of its own: posts at a fixed
// rate, round-robin over its sockets, each message stamped with its send time. `product` sockets
// send `messenger:post` requests with an ack (the real client's path) and time the ack (= commit);
// `bare` sockets send the finished message to the bare socket.io harness, which broadcasts it.
import { randomUUID } from 'node:crypto'
import { io as connectSocket, type Socket } from 'socket.io-client'
import { messengerMessage } from '#tests/fixtures/messenger-message.ts'
import { mapLimit } from './async.ts'
import { serveParent } from './child-process.ts'
import { benchBody, LatencyHistogram, nowMs, type LatencySummary } from './chat-latency.ts'

export type SenderSpec = { url: string; cookie?: string; conversationId?: string }
type Sender = SenderSpec & { socket: Socket }
type SenderSet = { mode: 'product' | 'bare'; senders: Sender[] }

const sets = new Map<string, SenderSet>()
/** Brings a message to a chat-like length (the product's stored body; the bare payload's body). */
const PADDING = 'Reminder: the quarterly all-hands starts at 15:00 in the big room and online.'

/** A message shaped like the product's MessengerMessage, for the bare harness to broadcast. */
function bareMessage(conversationId: string, seq: number, body: string) {
  return messengerMessage(seq, {
    id: randomUUID(),
    conversationId,
    sender: { id: 'bench-sender-0000000000000000', name: 'Bench Sender' },
    body,
    createdAt: new Date().toISOString(),
    idempotencyKey: randomUUID(),
  })
}

export type SendReport = {
  sent: number
  elapsedMs: number
  /** How late the timer sent messages against their schedule (a busy sender shows here). */
  lateness: LatencySummary
  /** product: send → ack (commit), and acks by outcome. */
  ack: LatencySummary
  ackOk: number
  ackErrors: Record<string, number>
  ackMissing: number
}

export const handlers = {
  async connect(params: {
    name: string
    mode: 'product' | 'bare'
    senders: SenderSpec[]
    auth?: Record<string, string>
  }) {
    const senders = await mapLimit(params.senders, 10, async (spec): Promise<Sender> => {
      const socket = connectSocket(spec.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        ...(spec.cookie ? { extraHeaders: { cookie: spec.cookie } } : {}),
        ...(params.auth ? { auth: params.auth } : {}),
      })
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve())
        socket.once('connect_error', (error) => reject(new Error(`connect: ${error.message}`)))
      })
      return { ...spec, socket }
    })
    sets.set(params.name, { mode: params.mode, senders })
    return { connected: senders.length }
  },

  /** Sends `rate` messages/s for `seconds`; resolves when every ack arrived (or `ackTimeoutMs`). */
  async run(params: {
    name: string
    rate: number
    seconds: number
    phase: number
    ackTimeoutMs?: number
  }): Promise<SendReport> {
    const set = sets.get(params.name)
    if (!set) throw new Error(`no sender set ${params.name}`)
    const total = Math.round(params.rate * params.seconds)
    const lateness = new LatencyHistogram()
    const ack = new LatencyHistogram()
    const ackErrors: Record<string, number> = {}
    let ackOk = 0
    let pending = 0
    let sent = 0
    let onAllAcked = () => {}
    const startedAt = nowMs()

    const sendOne = (index: number) => {
      const sender = set.senders[index % set.senders.length]!
      const sentAt = nowMs()
      lateness.add(sentAt - (startedAt + (index * 1000) / params.rate))
      const body = benchBody(params.phase, sentAt, PADDING)
      if (set.mode === 'bare') {
        sender.socket.emit('post', { message: bareMessage('bench', index + 1, body) })
        return
      }
      pending += 1
      sender.socket.emit(
        'messenger:post',
        { conversationId: sender.conversationId, body, idempotencyKey: randomUUID() },
        (result: { ok: boolean; code?: string }) => {
          pending -= 1
          if (result.ok) {
            ackOk += 1
            ack.add(nowMs() - sentAt)
          } else {
            ackErrors[result.code ?? '?'] = (ackErrors[result.code ?? '?'] ?? 0) + 1
          }
          if (pending === 0 && sent === total) onAllAcked()
        },
      )
    }

    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((nowMs() - startedAt) * params.rate) / 1000) + 1)
        while (sent < due) sendOne(sent++)
        if (sent >= total) {
          clearInterval(timer)
          resolve()
        }
      }, 1)
    })
    const elapsedMs = nowMs() - startedAt
    if (pending > 0) {
      await new Promise<void>((resolve) => {
        onAllAcked = resolve
        setTimeout(resolve, params.ackTimeoutMs ?? 15_000)
      })
    }
    return {
      sent,
      elapsedMs,
      lateness: lateness.summary(),
      ack: ack.summary(),
      ackOk,
      ackErrors,
      ackMissing: set.mode === 'product' ? pending : 0,
    }
  },

  closeAll() {
    for (const set of sets.values()) for (const sender of set.senders) sender.socket.close()
    sets.clear()
  },
}

serveParent(handlers)
