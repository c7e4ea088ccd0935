import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaRestartIce: EventHandler<'media:restartIce'> = async (
  { app, socket },
  payload,
) => callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'restartIce', payload)
