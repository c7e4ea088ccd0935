import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

export const handleMediaSetPreferredLayers: EventHandler<'media:setPreferredLayers'> = async (
  { app, socket },
  payload,
) =>
  callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'setConsumerPreferredLayers', payload)
