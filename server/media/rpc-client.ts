// web → media-node RPC (docs/decisions/0006-media-rpc.md): HTTP POST /rpc/<method> with a JSON body,
// signed with MEDIA_RPC_SECRET. Node's fetch keeps connections to each node alive between calls.
// Every failure comes back as an ack, never a throw: the node's own error acks pass through, and a
// node that cannot be reached or does not answer in time becomes INTERNAL.
import { signMediaRpcRequest } from '#core/media-rpc-auth.ts'
import { ackError, type AckError } from '#core/protocol/ack.ts'
import type {
  MediaRpcMethod,
  MediaRpcRequest,
  MediaRpcResponses,
  MediaRpcResult,
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
  return {
    async call(node, method, request) {
      const body = JSON.stringify(request)
      const log = options.log.child({ nodeId: node.id, method })
      let response: Response
      try {
        response = await fetch(new URL(`/rpc/${method}`, node.httpUrl), {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            ...signMediaRpcRequest({ secret: options.secret, method, body }),
          },
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        const isTimeout = (error as Error).name === 'TimeoutError'
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
        answer = await response.json()
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
