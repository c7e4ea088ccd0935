import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaPauseConsumer: EventHandler<'media:pauseConsumer'> = async (
  { app, socket },
  payload,
) => callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'pauseConsumer', payload)
