import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

/** The consumer starts paused on the node; the client resumes it once its side is ready. */
export const handleMediaConsume: EventHandler<'media:consume'> = async ({ app, socket }, payload) =>
  callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'consume', payload)
