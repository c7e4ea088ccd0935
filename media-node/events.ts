// Media events go to web instances over one Redis pub/sub channel (docs/decisions/0006-media-rpc.md).
import type { Logger } from '#core/logger.ts'
import { mediaEventsChannel, type MediaEvent } from '#core/protocol/media-rpc.ts'
import type { Redis } from '#core/redis.ts'

export type PublishMediaEvent = (event: MediaEvent) => void

/**
 * Fire and forget: a room never waits for Redis. Commands on one connection keep their order, so
 * web sees a room's events in the order they happened; a failed publish is logged and dropped.
 */
export function createMediaEventPublisher(options: {
  redis: Redis
  redisPrefix: string
  log: Logger
}): PublishMediaEvent {
  const channel = mediaEventsChannel(options.redisPrefix)
  return (event) => {
    options.redis.publish(channel, JSON.stringify(event)).catch((error: unknown) => {
      options.log.warn({ err: error, type: event.type, roomId: event.roomId }, 'publish failed')
    })
  }
}
