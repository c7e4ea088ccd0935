// web → media-node RPC (docs/decisions/0006-media-rpc.md): HTTP POST /rpc/<method> with a JSON body,
// signed with MEDIA_RPC_SECRET, over keep-alive connections to each node. Every failure comes back as
// an ack, never a throw: the node's own error acks pass through, and a node that cannot be reached or
// does not answer in time becomes INTERNAL.
//
// node:http rather than fetch: this is the hot path of every media signaling event, and fetch (undici
// behind WHATWG streams) cost ~0.3 ms of web CPU per call against ~0.05 ms here (bench/signaling).
import http from 'node:http'
import https from 'node:https'
import { signMediaRpcRequest } from '#core/media-rpc-auth.ts'
import { ackError, type AckError } from '#core/protocol/ack.ts'
import {
  MEDIA_RPC_WEB_IDLE_MS,
  type MediaRpcMethod,
  type MediaRpcRequest,
  type MediaRpcResponses,
  type MediaRpcResult,
} from '#core/protocol/media-rpc.ts'
import { AppError, ErrorCode } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'

/** A media-node call that takes longer than this is treated as failed (the node is stuck or gone). */
export const MEDIA_RPC_TIMEOUT_MS = 5_000

export type MediaNodeAddress = { id: string; httpUrl: string }

export type MediaRpcClient = {
  call<M extends MediaRpcMethod>(
    node: MediaNodeAddress,
    method: M,
    request: MediaRpcRequest<M>,
  ): Promise<MediaRpcResult<M>>
}

const codes = new Set<string>(Object.values(ErrorCode))

export function createMediaRpcClient(options: {
  secret: string
  log: Logger
  timeoutMs?: number
}): MediaRpcClient {
  const timeoutMs = options.timeoutMs ?? MEDIA_RPC_TIMEOUT_MS
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: MEDIA_RPC_WEB_IDLE_MS }),
    'https:': new https.Agent({ keepAlive: true, timeout: MEDIA_RPC_WEB_IDLE_MS }),
  }
  return {
    async call(node, method, request) {
      const body = JSON.stringify(request)
      const log = options.log.child({ nodeId: node.id, method })
      const send = () =>
        post({
          url: new URL(`/rpc/${method}`, node.httpUrl),
          agents,
          body,
          headers: signMediaRpcRequest({ secret: options.secret, method, body }),
          timeoutMs,
        })
      let response: { status: number; body: string }
      try {
        // A kept-alive connection the node closed as we sent: it never read the call, so once more.
        response = await send().catch((error: unknown) => {
          if (error instanceof StaleConnectionError) return send()
          throw error
        })
      } catch (error) {
        const isTimeout = error instanceof RpcTimeoutError
        log.error(
          { err: error },
          isTimeout ? 'media-node call timed out' : 'media-node unreachable',
        )
        return ackError(
          'INTERNAL',
          isTimeout ? 'The media server did not answer in time' : 'The media server is unreachable',
        )
      }
      let answer: unknown
      try {
        answer = JSON.parse(response.body)
      } catch (error) {
        log.error({ err: error, status: response.status }, 'media-node answered with no JSON')
        return ackError('INTERNAL', 'The media server gave an unreadable answer')
      }
      if (isAck(answer)) {
        if (!answer.ok && answer.code === 'INTERNAL') {
          log.error({ status: response.status, message: answer.message }, 'media-node call failed')
        }
        return answer as MediaRpcResult<typeof method>
      }
      // 401 (bad signature or clock skew) and anything else without an ack body: our bug or config.
      log.error({ status: response.status }, 'media-node refused the call')
      return ackError('INTERNAL', 'The media server refused the request')
    },
  }
}

class RpcTimeoutError extends Error {
  override name = 'TimeoutError'
}

/** The peer reset a reused keep-alive connection before answering. */
class StaleConnectionError extends Error {
  override name = 'StaleConnectionError'
}

/** One POST with a deadline for the whole exchange (connect, send, the full answer). */
function post(options: {
  url: URL
  agents: { 'http:': http.Agent; 'https:': https.Agent }
  body: string
  headers: Record<string, string>
  timeoutMs: number
}): Promise<{ status: number; body: string }> {
  const { url } = options
  const protocol = url.protocol
  if (protocol !== 'http:' && protocol !== 'https:') {
    return Promise.reject(new Error(`unsupported media-node URL ${url.origin}`))
  }
  return new Promise((resolve, reject) => {
    let hasResponse = false
    const request = (protocol === 'https:' ? https : http).request(
      url,
      {
        method: 'POST',
        agent: options.agents[protocol],
        headers: {
          ...options.headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(options.body),
        },
      },
      (response) => {
        hasResponse = true
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          clearTimeout(timer)
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          })
        })
        response.on('error', fail)
      },
    )
    function fail(error: NodeJS.ErrnoException) {
      clearTimeout(timer)
      const isStale =
        request.reusedSocket &&
        !hasResponse &&
        (error.code === 'ECONNRESET' || error.code === 'EPIPE')
      reject(isStale ? new StaleConnectionError(error.message, { cause: error }) : error)
    }
    const timer = setTimeout(() => {
      const error = new RpcTimeoutError(`no answer in ${options.timeoutMs} ms`)
      request.destroy(error)
      reject(error)
    }, options.timeoutMs)
    request.on('error', fail)
    request.end(options.body)
  })
}

function isAck(value: unknown): value is { ok: true; data: unknown } | AckError {
  if (typeof value !== 'object' || value === null) return false
  const ack = value as Record<string, unknown>
  if (ack.ok === true) return 'data' in ack
  return ack.ok === false && codes.has(ack.code as string) && typeof ack.message === 'string'
}

/** The data of a successful call, or the call's error as an AppError (for domain functions). */
export async function callMedia<M extends MediaRpcMethod>(
  client: MediaRpcClient,
  node: MediaNodeAddress,
  method: M,
  request: MediaRpcRequest<M>,
): Promise<MediaRpcResponses[M]> {
  const result = await client.call(node, method, request)
  if (!result.ok) throw new AppError(result.code, result.message)
  return result.data
}
