// The room's signaling channel as RoomClient sees it: request/ack calls and server events behind a
// small interface, so a fake drives it in unit tests. The socket.io implementation is in
// socket-signaling.ts.
import type {
  ClientEvent,
  ClientEventResults,
  ClientPayload,
  ServerEventPayloads,
} from '#core/protocol/signaling.ts'

export type ServerEvent = keyof ServerEventPayloads

/** The link state as RoomClient needs it; 'rejected' means the server refused the session. */
export type SignalingLinkEvent =
  | { type: 'connected' }
  | { type: 'disconnected'; willReconnect: boolean }
  | { type: 'rejected'; code: string }

export type SignalingConnection = {
  readonly isConnected: boolean
  request<E extends ClientEvent>(
    event: E,
    payload: ClientPayload<E>,
    options?: { timeoutMs?: number },
  ): Promise<ClientEventResults[E]>
  on<E extends ServerEvent>(event: E, handler: (payload: ServerEventPayloads[E]) => void): void
  onLink(handler: (event: SignalingLinkEvent) => void): void
  connect(): void
  close(): void
}

/** An ack error, or a request that timed out / could not be sent ('TIMEOUT', 'DISCONNECTED'). */
export class SignalingError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.name = 'SignalingError'
    this.code = code
  }
}
