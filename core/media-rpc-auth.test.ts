import { describe, expect, it } from 'vitest'
import { signMediaRpcRequest, verifyMediaRpcRequest } from './media-rpc-auth.ts'
import {
  MEDIA_RPC_MAX_SKEW_MS,
  MEDIA_RPC_SIGNATURE_HEADER,
  MEDIA_RPC_TIMESTAMP_HEADER,
} from './protocol/media-rpc.ts'

const secret = 'test-secret-0123456789abcdef-0123456789'
const body = JSON.stringify({ roomId: 'room-1', peerId: 'peer-1' })
const now = 1_700_000_000_000

function check(
  headers: Record<string, string>,
  overrides: { body?: string; now?: number; method?: string } = {},
) {
  return verifyMediaRpcRequest({
    secret,
    method: overrides.method ?? 'joinRoom',
    body: overrides.body ?? body,
    timestamp: headers[MEDIA_RPC_TIMESTAMP_HEADER],
    signature: headers[MEDIA_RPC_SIGNATURE_HEADER],
    now: overrides.now ?? now,
  })
}

describe('media RPC signatures', () => {
  it('accepts what it signed, from a string or the same bytes', () => {
    const headers = signMediaRpcRequest({ secret, method: 'joinRoom', body, now })
    expect(headers[MEDIA_RPC_TIMESTAMP_HEADER]).toBe(String(now))
    expect(headers[MEDIA_RPC_SIGNATURE_HEADER]).toMatch(/^[0-9a-f]{64}$/)
    expect(check(headers)).toBe('ok')
    expect(
      verifyMediaRpcRequest({
        secret,
        method: 'joinRoom',
        body: Buffer.from(body),
        timestamp: String(now),
        signature: headers[MEDIA_RPC_SIGNATURE_HEADER],
        now,
      }),
    ).toBe('ok')
  })

  it('refuses another body, another method, another secret or a changed timestamp', () => {
    const headers = signMediaRpcRequest({ secret, method: 'joinRoom', body, now })
    expect(check(headers, { body: body.replace('peer-1', 'peer-2') })).toBe('bad-signature')
    // The same body replayed to another method (e.g. pauseProducer → closeProducer) is refused.
    expect(check(headers, { method: 'closeRoom' })).toBe('bad-signature')
    expect(
      check(signMediaRpcRequest({ secret: `${secret}x`, method: 'joinRoom', body, now })),
    ).toBe('bad-signature')
    expect(check({ ...headers, [MEDIA_RPC_TIMESTAMP_HEADER]: String(now + 1) })).toBe(
      'bad-signature',
    )
  })

  it('refuses requests outside the allowed clock skew, both ways', () => {
    const headers = signMediaRpcRequest({ secret, method: 'joinRoom', body, now })
    expect(check(headers, { now: now + MEDIA_RPC_MAX_SKEW_MS })).toBe('ok')
    expect(check(headers, { now: now + MEDIA_RPC_MAX_SKEW_MS + 1 })).toBe('stale-timestamp')
    expect(check(headers, { now: now - MEDIA_RPC_MAX_SKEW_MS - 1 })).toBe('stale-timestamp')
  })

  it('refuses missing or malformed headers without throwing', () => {
    const headers = signMediaRpcRequest({ secret, method: 'joinRoom', body, now })
    const signature = headers[MEDIA_RPC_SIGNATURE_HEADER]!
    expect(check({})).toBe('missing-headers')
    expect(check({ [MEDIA_RPC_TIMESTAMP_HEADER]: String(now) })).toBe('missing-headers')
    expect(check({ ...headers, [MEDIA_RPC_TIMESTAMP_HEADER]: 'yesterday' })).toBe('missing-headers')
    for (const bad of [
      '',
      'zz',
      signature.slice(0, 63),
      `${signature}00`,
      `${signature.slice(0, 62)}zz`,
    ]) {
      expect(check({ ...headers, [MEDIA_RPC_SIGNATURE_HEADER]: bad }), bad).not.toBe('ok')
    }
  })
})
