// Signs and checks web → media-node RPC requests (docs/decisions/0006-media-rpc.md).
// signature = hex HMAC-SHA256 of `${timestamp}.${method}.${body}` with MEDIA_RPC_SECRET, where timestamp
// is milliseconds since the epoch and body is the exact bytes sent. The method is signed too, so a
// captured request cannot be replayed as another method with a body of the same shape. Web signs with
// signMediaRpcRequest and sends the returned headers; the media-node checks with verifyMediaRpcRequest.
import { createHmac, timingSafeEqual } from 'node:crypto'
import {
  MEDIA_RPC_MAX_SKEW_MS,
  MEDIA_RPC_SIGNATURE_HEADER,
  MEDIA_RPC_TIMESTAMP_HEADER,
} from './protocol/media-rpc.ts'

/** Why a request was refused; the media-node logs it and answers 401 either way. */
export type MediaRpcAuthResult = 'ok' | 'missing-headers' | 'stale-timestamp' | 'bad-signature'

function computeSignature(
  secret: string,
  timestamp: string,
  method: string,
  body: string | Buffer,
): string {
  return createHmac('sha256', secret).update(`${timestamp}.${method}.`).update(body).digest('hex')
}

/**
 * The two headers to send with `body`. Sign the string you send, byte for byte:
 * `const body = JSON.stringify(input); fetch(`${base}/rpc/${method}`, { method: 'POST', body, headers: { ...signMediaRpcRequest({ secret, method, body }), 'content-type': 'application/json' } })`.
 */
export function signMediaRpcRequest(options: {
  secret: string
  /** The RPC method, as in the URL `/rpc/<method>`. */
  method: string
  body: string
  now?: number
}): Record<string, string> {
  const timestamp = String(options.now ?? Date.now())
  return {
    [MEDIA_RPC_TIMESTAMP_HEADER]: timestamp,
    [MEDIA_RPC_SIGNATURE_HEADER]: computeSignature(
      options.secret,
      timestamp,
      options.method,
      options.body,
    ),
  }
}

/** Checks the headers of a received request against its raw body, in constant time. */
export function verifyMediaRpcRequest(options: {
  secret: string
  method: string
  body: string | Buffer
  timestamp: string | undefined
  signature: string | undefined
  now?: number
}): MediaRpcAuthResult {
  const { timestamp, signature } = options
  if (!timestamp || !signature || !/^\d{1,16}$/.test(timestamp)) return 'missing-headers'
  if (Math.abs((options.now ?? Date.now()) - Number(timestamp)) > MEDIA_RPC_MAX_SKEW_MS) {
    return 'stale-timestamp'
  }
  const expected = Buffer.from(
    computeSignature(options.secret, timestamp, options.method, options.body),
    'hex',
  )
  // Buffer.from(…, 'hex') stops at the first non-hex character, so a malformed value comes out
  // shorter and fails the length check instead of throwing in timingSafeEqual.
  const given = Buffer.from(signature, 'hex')
  const isMatch =
    given.length === expected.length &&
    signature.length === expected.length * 2 &&
    timingSafeEqual(given, expected)
  return isMatch ? 'ok' : 'bad-signature'
}
