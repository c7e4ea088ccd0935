// One receiver process of the chat benchmark (bench/chat/fanout.ts): holds many socket.io client
// connections (each its own engine, as separate browser tabs would be) and times every
// `messenger:message` of the current phase against the send time in its body. The handler is the
// hot path: socket.io-client has already parsed the JSON; it reads the body's two numbers and
// bumps a histogram bin.
import { io as connectSocket, type Socket } from 'socket.io-client'
import { mapLimit } from './async.ts'
import { serveParent } from './child-process.ts'
import { LatencyHistogram, nowMs, parseBenchBody, type SparseHistogram } from './chat-latency.ts'

type Group = { sockets: Socket[]; histogram: LatencyHistogram; otherPhase: number; lost: number }

const groups = new Map<string, Group>()
let phase = -1

function onMessage(group: Group, payload: unknown): void {
  const receivedAt = nowMs()
  const body = (payload as { message?: { body?: unknown } } | undefined)?.message?.body
  const parsed = typeof body === 'string' ? parseBenchBody(body) : null
  if (!parsed || parsed[0] !== phase) {
    group.otherPhase += 1
    return
  }
  group.histogram.add(receivedAt - parsed[1])
}

export type ReceiverGroupReport = {
  histogram: SparseHistogram
  /** Messages of another phase (stragglers of an earlier level) or not from the benchmark. */
  otherPhase: number
  connected: number
  /** Sockets that disconnected since they connected. */
  lost: number
}

export const handlers = {
  /** Connects one socket per entry of `cookies` (or `count` sockets without a cookie). */
  async connect(params: {
    group: string
    url: string
    cookies?: string[]
    count?: number
    auth?: Record<string, string>
    concurrency?: number
  }) {
    const group: Group = groups.get(params.group) ?? {
      sockets: [],
      histogram: new LatencyHistogram(),
      otherPhase: 0,
      lost: 0,
    }
    groups.set(params.group, group)
    const cookies = params.cookies ?? Array.from({ length: params.count ?? 0 }, () => '')
    await mapLimit(cookies, params.concurrency ?? 10, async (cookie) => {
      const socket = connectSocket(params.url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        ...(cookie ? { extraHeaders: { cookie } } : {}),
        ...(params.auth ? { auth: params.auth } : {}),
      })
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve())
        socket.once('connect_error', (error) => reject(new Error(`connect: ${error.message}`)))
      })
      socket.on('messenger:message', (payload: unknown) => onMessage(group, payload))
      // The product sends messages committed together as one frame: each counts as a delivery.
      socket.on('messenger:messageBatch', (payload: { messages?: unknown[] }) => {
        for (const message of payload.messages ?? []) onMessage(group, { message })
      })
      socket.on('disconnect', () => {
        group.lost += 1
      })
      group.sockets.push(socket)
    })
    return { connected: group.sockets.length }
  },
  /** Starts a phase: from now on only messages of `phase` count; the histograms restart. */
  setPhase(params: { phase: number }) {
    phase = params.phase
    for (const group of groups.values()) {
      group.histogram = new LatencyHistogram()
      group.otherPhase = 0
    }
  },
  report(): Record<string, ReceiverGroupReport> {
    const reports: Record<string, ReceiverGroupReport> = {}
    for (const [name, group] of groups) {
      reports[name] = {
        histogram: group.histogram.toSparse(),
        otherPhase: group.otherPhase,
        connected: group.sockets.filter((socket) => socket.connected).length,
        lost: group.lost,
      }
    }
    return reports
  },
  /** Deliveries of the current phase so far, all groups (to see when a level has drained). */
  counts(): Record<string, number> {
    return Object.fromEntries([...groups].map(([name, group]) => [name, group.histogram.count]))
  },
  closeAll() {
    for (const group of groups.values()) for (const socket of group.sockets) socket.close()
    groups.clear()
  },
}

serveParent(handlers)
