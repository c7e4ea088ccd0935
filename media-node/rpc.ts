// The internal RPC web instances call: POST /rpc/<method> with a signed JSON body
// (docs/decisions/0006-media-rpc.md). Status codes are for what happens before a method runs —
// 401 bad or stale signature, 404 unknown method, 405 not POST, 413 body too large; from there on
// the answer is HTTP 200 with an ack, { ok: true, data } or { ok: false, code, message }, including
// for a body that is not valid JSON or does not match the method's schema (BAD_REQUEST).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { ackError, ackOk, type Ack, type AckError } from '#core/protocol/ack.ts'
import { ErrorCode, isAppError } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import { verifyMediaRpcRequest } from '#core/media-rpc-auth.ts'
import {
  MEDIA_RPC_SIGNATURE_HEADER,
  MEDIA_RPC_TIMESTAMP_HEADER,
  MediaRpcRequestSchemas,
  type MediaRpcMethod,
  type MediaRpcResponses,
} from '#core/protocol/media-rpc.ts'
import type { RoomRegistry } from './rooms.ts'

/** Real requests are a few KiB (SDP-sized parameters); anything near this is abuse or a bug. */
export const RPC_BODY_LIMIT_BYTES = 256 * 1024
/**
 * Real requests nest about 6 deep (consume → rtpCapabilities → codecs → rtcpFeedback). The schemas
 * pass unknown keys through to mediasoup, whose JSON.stringify overflows the stack on deep junk.
 */
const MAX_JSON_DEPTH = 16

type Input<M extends MediaRpcMethod> = z.output<(typeof MediaRpcRequestSchemas)[M]>
type Handlers = {
  [M in MediaRpcMethod]: (input: Input<M>) => Promise<MediaRpcResponses[M]>
}

/** Thin: the schema already parsed the input; the room checks ownership and does the work. */
function createHandlers(rooms: RoomRegistry): Handlers {
  const inRoom = (roomId: string) => rooms.getRoom(roomId)
  const done = {} as Record<string, never>
  return {
    joinRoom: (input) => rooms.joinRoom(input),
    createWebRtcTransport: async ({ roomId, ...request }) =>
      (await inRoom(roomId)).createTransport(request),
    connectTransport: async ({ roomId, ...request }) => {
      await (await inRoom(roomId)).connectTransport(request)
      return done
    },
    restartIce: async ({ roomId, ...request }) => (await inRoom(roomId)).restartIce(request),
    produce: async ({ roomId, ...request }) => (await inRoom(roomId)).produce(request),
    consume: async ({ roomId, ...request }) => (await inRoom(roomId)).consume(request),
    resumeConsumer: async ({ roomId, ...request }) => {
      await (await inRoom(roomId)).resumeConsumer(request)
      return done
    },
    pauseConsumer: async ({ roomId, ...request }) => {
      await (await inRoom(roomId)).pauseConsumer(request)
      return done
    },
    setConsumerPreferredLayers: async ({ roomId, ...request }) => {
      await (await inRoom(roomId)).setConsumerPreferredLayers(request)
      return done
    },
    pauseProducer: async ({ roomId, ...request }) => {
      await (await inRoom(roomId)).pauseProducer(request)
      return done
    },
    resumeProducer: async ({ roomId, ...request }) => {
      await (await inRoom(roomId)).resumeProducer(request)
      return done
    },
    closeProducer: async ({ roomId, ...request }) => {
      ;(await inRoom(roomId)).closeProducer(request)
      return done
    },
    produceData: async ({ roomId, ...request }) => (await inRoom(roomId)).produceData(request),
    consumeData: async ({ roomId, ...request }) => (await inRoom(roomId)).consumeData(request),
    sendData: async ({ roomId, ...request }) => {
      ;(await inRoom(roomId)).sendData(request)
      return done
    },
    leaveRoom: async (input) => {
      await rooms.leaveRoom(input)
      return done
    },
    closeRoom: async ({ roomId }) => {
      await rooms.closeRoom(roomId)
      return done
    },
    listPeers: async ({ roomId }) => ({ peers: (await inRoom(roomId)).listPeers() }),
  }
}

const isMethod = (name: string): name is MediaRpcMethod =>
  Object.hasOwn(MediaRpcRequestSchemas, name)

/** Returns the handler http.ts calls for every `/rpc/<method>` path. */
export function createRpcHandler(options: {
  secret: string
  rooms: RoomRegistry
  log: Logger
}): (req: IncomingMessage, res: ServerResponse, method: string) => Promise<void> {
  const { secret, log } = options
  const handlers = createHandlers(options.rooms)

  return async (req, res, method) => {
    // A caller hanging up mid-body must not become an unhandled 'error' event.
    req.on('error', () => {})
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST')
      return sendAck(res, 405, ackError(ErrorCode.BadRequest, 'use POST'))
    }
    const body = await readBody(req, RPC_BODY_LIMIT_BYTES)
    // Nobody is left to answer.
    if (body === 'aborted') return
    if (body === 'too-large') {
      res.setHeader('connection', 'close')
      return sendAck(res, 413, ackError(ErrorCode.BadRequest, 'body too large'))
    }
    const auth = verifyMediaRpcRequest({
      secret,
      method,
      body,
      timestamp: header(req, MEDIA_RPC_TIMESTAMP_HEADER),
      signature: header(req, MEDIA_RPC_SIGNATURE_HEADER),
    })
    if (auth !== 'ok') {
      log.warn(
        { reason: auth, method: method.slice(0, 64), remote: req.socket.remoteAddress },
        'rpc refused',
      )
      return sendAck(res, 401, ackError(ErrorCode.Unauthorized, 'unauthorized'))
    }
    if (!isMethod(method)) {
      return sendAck(
        res,
        404,
        ackError(ErrorCode.NotFound, `unknown method ${method.slice(0, 64)}`),
      )
    }
    sendAck(res, 200, await runMethod(method, body, handlers, log))
  }
}

async function runMethod<M extends MediaRpcMethod>(
  method: M,
  body: Buffer,
  handlers: Handlers,
  log: Logger,
): Promise<Ack<MediaRpcResponses[M]>> {
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    return ackError(ErrorCode.BadRequest, 'body is not JSON')
  }
  if (isNestedDeeperThan(json, MAX_JSON_DEPTH)) {
    return ackError(ErrorCode.BadRequest, `body nests deeper than ${MAX_JSON_DEPTH} levels`)
  }
  const parsed = MediaRpcRequestSchemas[method].safeParse(json)
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
      .join('; ')
    return ackError(ErrorCode.BadRequest, message.slice(0, 500))
  }
  const input = parsed.data as Input<M>
  const context = {
    method,
    roomId: input.roomId,
    peerId: 'peerId' in input ? input.peerId : undefined,
  }
  const startedAt = performance.now()
  try {
    const data = await (handlers[method] as (input: Input<M>) => Promise<MediaRpcResponses[M]>)(
      input,
    )
    log.debug({ ...context, ms: Math.round(performance.now() - startedAt) }, 'rpc ok')
    return ackOk(data)
  } catch (error) {
    const ack = toAckError(error)
    if (ack.code === ErrorCode.Internal) log.error({ ...context, err: error }, 'rpc failed')
    else log.debug({ ...context, code: ack.code, message: ack.message }, 'rpc refused')
    return ack
  }
}

/**
 * mediasoup reports bad parameters as TypeError (UnsupportedError for codecs it cannot take) and
 * missing objects as "… not found": the caller's mistakes. Only errors raised inside mediasoup
 * count, so a TypeError from a bug of ours stays INTERNAL and gets logged.
 */
export function toAckError(error: unknown): AckError {
  if (isAppError(error)) return ackError(error.code, error.message)
  if (error instanceof Error && isFromMediasoup(error)) {
    if (error instanceof TypeError || error.name === 'UnsupportedError') {
      return ackError(ErrorCode.BadRequest, error.message)
    }
    if (/not found/i.test(error.message)) return ackError(ErrorCode.NotFound, error.message)
  }
  return ackError(ErrorCode.Internal, 'internal error')
}

function isFromMediasoup(error: Error): boolean {
  const firstFrame = error.stack?.split('\n').find((line) => line.trimStart().startsWith('at '))
  return /[\\/]node_modules[\\/]mediasoup[\\/]/.test(firstFrame ?? '')
}

/** Iterative, so the check itself cannot overflow the stack. */
function isNestedDeeperThan(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!
    if (typeof current !== 'object' || current === null) continue
    if (depth > maxDepth) return true
    for (const child of Object.values(current)) stack.push([child, depth + 1])
  }
  return false
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** The raw body; 'too-large' as soon as it passes `limit` (the rest is discarded unread). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  if (Number(req.headers['content-length']) > limit) return Promise.resolve('too-large')
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    const finish = (result: Buffer | 'too-large' | 'aborted') => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('close', onClose)
      resolve(result)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      finish('too-large')
      // Flowing with no reader: the rest of the body is dropped, not buffered.
      req.resume()
    }
    const onEnd = () => finish(Buffer.concat(chunks))
    // 'close' before 'end': the caller hung up mid-body.
    const onClose = () => finish('aborted')
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('close', onClose)
  })
}

function sendAck(res: ServerResponse, status: number, ack: Ack<unknown>): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(JSON.stringify(ack))
}
