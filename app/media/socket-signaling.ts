// RoomClient's signaling over socket.io: same origin, path /socket.io, the session cookie
// authenticates (guests included).
import { io, type Socket } from 'socket.io-client'
import type { Ack } from '#core/protocol/ack.ts'
import type {
  ClientEventResults,
  ClientToServerEvents,
  ServerToClientEvents,
} from '#core/protocol/signaling.ts'
import { SignalingError, type SignalingConnection, type SignalingLinkEvent } from './signaling.ts'

// Long enough for a media-node RPC behind web under load; short enough that a lost ack does not
// freeze the room.
export const REQUEST_TIMEOUT_MS = 10_000
// Retry an unanswered-middleware connection (socket.io does not retry those by itself).
const MIDDLEWARE_RETRY_MS = 2_000

// A socket opened ahead of time (pre-join) that nobody took over is closed after this long.
const WARM_SOCKET_GRACE_MS = 10_000

type TypedSocket = Socket<ServerToClientEvents, ClientToServerEvents>

function openSocket(): TypedSocket {
  return io({
    // Each caller its own connection: socket.io-client otherwise hands every io() of a page the same
    // socket, so a pre-join socket, a room client and a lobby listener would share (and close) one.
    forceNew: true,
    path: '/socket.io',
    // WebSocket first: no sticky sessions needed between web instances; polling if a proxy blocks it.
    transports: ['websocket', 'polling'],
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    withCredentials: true,
  })
}

let warm: { socket: TypedSocket; releaseTimer?: ReturnType<typeof setTimeout> } | null = null

/**
 * Connects now, while the person is still on the pre-join page, so Join does not wait for the
 * WebSocket and session handshake; the next createSocketSignaling() takes this socket over. The
 * returned release lets it go (closed after a grace period unless taken over meanwhile).
 */
export function preconnectSignaling(): () => void {
  warm ??= { socket: openSocket() }
  clearTimeout(warm.releaseTimer)
  warm.socket.connect()
  const held = warm
  return () => {
    if (warm !== held) return
    held.releaseTimer = setTimeout(() => {
      if (warm !== held) return
      held.socket.disconnect()
      warm = null
    }, WARM_SOCKET_GRACE_MS)
  }
}

function takeWarmSocket(): TypedSocket | null {
  if (!warm) return null
  const { socket, releaseTimer } = warm
  clearTimeout(releaseTimer)
  warm = null
  return socket
}

export function createSocketSignaling(): SignalingConnection {
  const socket = takeWarmSocket() ?? openSocket()
  const linkHandlers = new Set<(event: SignalingLinkEvent) => void>()
  const emitLink = (event: SignalingLinkEvent) => {
    for (const handler of linkHandlers) handler(event)
  }
  let isClosed = false
  let retryTimer: ReturnType<typeof setTimeout> | undefined

  socket.on('connect', () => emitLink({ type: 'connected' }))
  socket.on('disconnect', (reason) => {
    // The server cut us off on purpose (e.g. removed from the meeting): reconnect once by hand and
    // let `media:join` tell whether we are still welcome.
    if (reason === 'io server disconnect' && !isClosed) {
      retryTimer = setTimeout(() => socket.connect(), MIDDLEWARE_RETRY_MS)
    }
    emitLink({ type: 'disconnected', willReconnect: reason !== 'io client disconnect' })
  })
  socket.on('connect_error', (error) => {
    // `socket.active` stays true while socket.io retries a network failure by itself; a refusal by
    // the server's middleware leaves it false.
    if (socket.active) return
    if (error.message === 'UNAUTHORIZED' || error.message === 'FORBIDDEN') {
      emitLink({ type: 'rejected', code: error.message })
      return
    }
    if (!isClosed) retryTimer = setTimeout(() => socket.connect(), MIDDLEWARE_RETRY_MS)
  })

  return {
    get isConnected() {
      return socket.connected
    },
    async request(event, payload, options) {
      if (!socket.connected) throw new SignalingError('DISCONNECTED', `${event}: not connected`)
      type Result = ClientEventResults[typeof event]
      let result: Ack<Result>
      try {
        // The typed emit cannot follow a generic event name; the schemas in core/ type it for real.
        const timed = socket.timeout(options?.timeoutMs ?? REQUEST_TIMEOUT_MS)
        const emit = timed.emitWithAck.bind(timed) as (
          name: string,
          payload: unknown,
        ) => Promise<Ack<Result>>
        result = await emit(event, payload)
      } catch (error) {
        // socket.io rejects only when the ack did not come in time.
        throw new SignalingError('TIMEOUT', `${event}: ${(error as Error).message}`)
      }
      if (!result.ok) throw new SignalingError(result.code, `${event}: ${result.message}`)
      return result.data
    },
    on(event, handler) {
      // Same as above: socket.io's listener type is a union over all events.
      socket.on(event, handler as never)
    },
    onLink(handler) {
      linkHandlers.add(handler)
    },
    connect() {
      isClosed = false
      // A socket taken over connected already: its 'connect' event has passed.
      if (socket.connected) queueMicrotask(() => emitLink({ type: 'connected' }))
      // One still connecting will say 'connect' by itself. Calling connect() on it again while the
      // engine is open but the namespace handshake pending sends a second CONNECT: the server then
      // holds two sockets for this one, and a join through each makes two peers of one person.
      else if (!socket.active) socket.connect()
    },
    close() {
      isClosed = true
      clearTimeout(retryTimer)
      socket.removeAllListeners()
      linkHandlers.clear()
      socket.disconnect()
    },
  }
}
