import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaResumeConsumer: EventHandler<'media:resumeConsumer'> = async (
  { app, socket },
  payload,
) => callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'resumeConsumer', payload)
