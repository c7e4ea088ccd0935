import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaConnectTransport: EventHandler<'media:connectTransport'> = async (
  { app, socket },
  payload,
) => callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'connectTransport', payload)
