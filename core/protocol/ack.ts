// Request/ack results shared by socket.io signaling and the media-node RPC.
import type { ErrorCode } from '../errors.ts'

export type AckOk<T> = { ok: true; data: T }
export type AckError = { ok: false; code: ErrorCode; message: string }
export type Ack<T> = AckOk<T> | AckError

export const ackOk = <T>(data: T): AckOk<T> => ({ ok: true, data })
export const ackError = (code: ErrorCode, message: string): AckError => ({
  ok: false,
  code,
  message,
})
