import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

/**
 * The node publishes producer-closed for every end of a producer, this one included, and
 * server/media/events.ts delivers it to the other peers once whatever instance they are on; so
 * this handler announces nothing itself.
 */
export const handleMediaCloseProducer: EventHandler<'media:closeProducer'> = async (
  { app, socket },
  { producerId },
) => {
  await callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'closeProducer', { producerId })
  return {}
}
