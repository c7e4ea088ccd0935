// How a client event reaches its handler: the payload is checked with the event's zod schema
// (BAD_REQUEST otherwise), the handler runs in this socket's queue, and whatever it returns or
// throws becomes the ack. Nothing a client sends can throw out of here.
import type { z } from 'zod'
import { isAppError } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import { ackError, ackOk, type AckError } from '#core/protocol/ack.ts'
import {
  ClientEventSchemas,
  type ClientEvent,
  type ClientEventResults,
} from '#core/protocol/signaling.ts'
import type { AppContext } from '#server/app-context.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import type { IoServer, IoSocket } from './types.ts'

/**
 * Events of one socket run one after another, so join, leave and disconnect never interleave; more
 * than this many waiting is a misbehaving client and gets RATE_LIMITED.
 */
export const MAX_QUEUED_EVENTS_PER_SOCKET = 32
/** Longest BAD_REQUEST message; enough for a few zod issues. */
const MAX_ERROR_MESSAGE_CHARS = 500

export type GatewayContext = {
  app: AppContext
  io: IoServer
  log: Logger
  /** Tells every web instance (this one included) that a meeting ended. */
  announceMeetingEnded: (meetingId: string) => void
  /** Ends the user's media sessions in the meeting on every web instance (this one included). */
  releaseParticipant: (meetingId: string, userId: string) => void
}

export type HandlerContext = GatewayContext & { socket: IoSocket }

/**
 * The socket's media session, and the acting user in its meeting as the meeting-control functions
 * take them (the address goes to the audit log).
 */
export function requireSessionActor({ app, socket }: HandlerContext) {
  const session = requireMediaSession(socket.data)
  const actor = {
    db: app.db,
    meetingId: session.meetingId,
    actorId: socket.data.userId,
    ip: socket.handshake.address,
  }
  return { session, actor }
}

export type EventHandler<E extends ClientEvent> = (
  context: HandlerContext,
  payload: z.output<(typeof ClientEventSchemas)[E]>,
) => Promise<ClientEventResults[E]>

export type EventHandlers = { [E in ClientEvent]: EventHandler<E> }

/** Runs tasks one at a time; refuses new ones past `maxQueued` unless forced. */
export function createTaskQueue(maxQueued: number) {
  let tail: Promise<void> = Promise.resolve()
  let queued = 0
  return {
    push(task: () => Promise<void>, options: { force?: boolean } = {}): boolean {
      if (queued >= maxQueued && !options.force) return false
      queued += 1
      tail = tail.then(task).finally(() => {
        queued -= 1
      })
      return true
    },
    /** Resolves once everything queued so far has run. */
    idle: () => tail,
  }
}
export type TaskQueue = ReturnType<typeof createTaskQueue>

export function describeIssues(event: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return path ? `${path}: ${issue.message}` : issue.message
  })
  return `Invalid ${event} payload: ${issues.join('; ')}`.slice(0, MAX_ERROR_MESSAGE_CHARS)
}

export function toAckError(error: unknown, log: Logger): AckError {
  if (isAppError(error)) return ackError(error.code, error.message)
  log.error({ err: error }, 'socket handler failed')
  return ackError('INTERNAL', 'Internal error')
}

type Ack = (result: unknown) => void
type LooseSocket = { on(event: string, listener: (...args: unknown[]) => void): void }

/**
 * Requests about the socket's receiving side (the client sends them only for a receive transport
 * and consumers whose creation was acknowledged) run in lanes of their own, so a joiner's first
 * videos are not resumed only after its own slow produce calls, nor after the consumes of everyone
 * else in the room; each lane keeps its order (layers before resume).
 */
const CONSUME_LANE_EVENTS: ReadonlySet<ClientEvent> = new Set(['media:consume'])
const CONSUMER_LANE_EVENTS: ReadonlySet<ClientEvent> = new Set([
  'media:resumeConsumer',
  'media:pauseConsumer',
  'media:setPreferredLayers',
])

/** Registers every client event of `handlers` on a freshly connected socket. */
export function registerClientEvents(options: {
  context: HandlerContext
  /** Everything but the consumer lanes: join, leave and disconnect never interleave in it. */
  queue: TaskQueue
  handlers: EventHandlers
}): void {
  const { context, queue, handlers } = options
  const consumeLane = createTaskQueue(MAX_QUEUED_EVENTS_PER_SOCKET)
  const consumerLane = createTaskQueue(MAX_QUEUED_EVENTS_PER_SOCKET)
  const socket = context.socket as unknown as LooseSocket
  for (const event of Object.keys(handlers) as ClientEvent[]) {
    const schema = ClientEventSchemas[event]
    const handler = handlers[event] as (
      context: HandlerContext,
      payload: unknown,
    ) => Promise<unknown>
    socket.on(event, (...args: unknown[]) => {
      // The ack is the last argument when the client asked for one; the payload comes first.
      const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : undefined
      const reply = (result: unknown) => {
        try {
          ack?.(result)
        } catch (error) {
          context.log.warn({ err: error, event }, 'ack failed')
        }
      }
      const parsed = schema.safeParse(args[0])
      if (!parsed.success) {
        reply(ackError('BAD_REQUEST', describeIssues(event, parsed.error)))
        return
      }
      const lane = CONSUME_LANE_EVENTS.has(event)
        ? consumeLane
        : CONSUMER_LANE_EVENTS.has(event)
          ? consumerLane
          : queue
      const isQueued = lane.push(async () => {
        try {
          reply(ackOk(await handler(context, parsed.data)))
        } catch (error) {
          reply(toAckError(error, context.log.child({ event, socketId: context.socket.id })))
        }
      })
      if (!isQueued) {
        reply(ackError('RATE_LIMITED', 'Too many requests waiting; wait for the answers first'))
      }
    })
  }
}
