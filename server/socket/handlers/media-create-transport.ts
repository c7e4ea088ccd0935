import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaCreateTransport: EventHandler<'media:createTransport'> = async (
  { app, socket },
  payload,
) => callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'createWebRtcTransport', payload)
