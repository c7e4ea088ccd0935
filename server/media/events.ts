// Media-node events (Redis pub/sub, docs/decisions/0006-media-rpc.md) to this instance's sockets.
// Every instance receives every event and delivers it with `io.local`, so each socket gets it once.
import type { Logger } from '#core/logger.ts'
import { MediaEventSchema, mediaEventsChannel, type MediaEvent } from '#core/protocol/media-rpc.ts'
import { socketRooms, type ServerEventPayloads } from '#core/protocol/signaling.ts'
import type { Redis } from '#core/redis.ts'
import type { IoServer } from '#server/socket/types.ts'

/** At most one audio-levels update per room this often (~4 per second); later ones replace it. */
export const AUDIO_LEVELS_THROTTLE_MS = 250

export type MediaEventDelivery = { close(): Promise<void> }

export async function startMediaEventDelivery(options: {
  redis: Redis
  prefix: string
  io: IoServer
  log: Logger
  /** Chat from a peer's DataChannel (server/media/meeting-chat.ts). */
  onDataMessage?: (event: MediaEvent) => void
  /** The node removed a peer nobody said goodbye for (every instance hears it; be idempotent). */
  onPeerGone?: (event: Extract<MediaEvent, { type: 'peer-gone' }>) => void
}): Promise<MediaEventDelivery> {
  const { io, log } = options
  const subscriber = options.redis.duplicate()
  subscriber.on('error', (error: Error) =>
    log.warn({ err: error.message }, 'redis subscriber error'),
  )
  const channel = mediaEventsChannel(options.prefix)
  const audioLevels = createThrottle<ServerEventPayloads['media:audioLevels']>(
    AUDIO_LEVELS_THROTTLE_MS,
    (roomId, payload) =>
      io.local.to(socketRooms.meeting(roomId)).volatile.emit('media:audioLevels', payload),
  )

  const deliver = (event: MediaEvent) => {
    const meeting = io.local.to(socketRooms.meeting(event.roomId))
    switch (event.type) {
      case 'producer-closed':
        // The only source of media:producerClosed (media:closeProducer included), so each peer
        // hears it once; the owner closed it or left, and is not told.
        meeting.except(socketRooms.peer(event.peerId)).emit('media:producerClosed', {
          peerId: event.peerId,
          producerId: event.producerId,
        })
        return
      case 'consumer-closed':
        io.local
          .to(socketRooms.peer(event.peerId))
          .emit('media:consumerClosed', { consumerId: event.consumerId })
        return
      case 'consumer-paused':
        io.local
          .to(socketRooms.peer(event.peerId))
          .emit('media:consumerPaused', { consumerId: event.consumerId })
        return
      case 'consumer-resumed':
        io.local
          .to(socketRooms.peer(event.peerId))
          .emit('media:consumerResumed', { consumerId: event.consumerId })
        return
      case 'active-speaker':
        meeting.emit('media:activeSpeaker', { peerId: event.peerId })
        return
      case 'audio-levels':
        audioLevels.push(event.roomId, { levels: event.levels })
        return
      case 'peer-gone':
        meeting.emit('media:peerLeft', { peerId: event.peerId })
        options.onPeerGone?.(event)
        return
      case 'room-reset':
        // Their DataConsumers went with the old router: chat:message until they consume again.
        io.local
          .in(socketRooms.meeting(event.roomId))
          .socketsLeave(socketRooms.chatData(event.roomId))
        meeting.emit('media:reconnect', { reason: 'room-reset' })
        return
      case 'data-message':
      case 'data-message-rejected':
        options.onDataMessage?.(event)
        return
    }
  }

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return
    let json: unknown
    try {
      json = JSON.parse(message)
    } catch {
      log.warn({ channel }, 'dropped a media event that is not JSON')
      return
    }
    const parsed = MediaEventSchema.safeParse(json)
    if (!parsed.success) {
      log.warn(
        { channel, issues: parsed.error.issues.slice(0, 3) },
        'dropped an invalid media event',
      )
      return
    }
    try {
      deliver(parsed.data)
    } catch (error) {
      log.error({ err: error, type: parsed.data.type }, 'delivering a media event failed')
    }
  })
  await subscriber.subscribe(channel)

  return {
    async close() {
      audioLevels.clear()
      subscriber.disconnect()
    },
  }
}

/**
 * Per key: the first value goes out at once, values within `intervalMs` after it collapse into the
 * latest one, sent when the interval is over.
 */
export function createThrottle<T>(intervalMs: number, send: (key: string, value: T) => void) {
  const slots = new Map<string, { timer: NodeJS.Timeout; pending?: T }>()
  const open = (key: string) => {
    const timer = setTimeout(() => {
      const slot = slots.get(key)
      slots.delete(key)
      if (slot?.pending !== undefined) {
        send(key, slot.pending)
        open(key)
      }
    }, intervalMs)
    timer.unref()
    slots.set(key, { timer })
  }
  return {
    push(key: string, value: T) {
      const slot = slots.get(key)
      if (slot) {
        slot.pending = value
        return
      }
      send(key, value)
      open(key)
    },
    clear() {
      for (const slot of slots.values()) clearTimeout(slot.timer)
      slots.clear()
    },
  }
}
