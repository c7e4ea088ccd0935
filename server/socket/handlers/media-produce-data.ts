import { callAsPeer, requireMediaSession } from '#server/media/peer-calls.ts'
import type { EventHandler } from '../handler.ts'

/** The client's chat DataProducer; what it sends reaches web as the node's `data-message` events. */
export const handleMediaProduceData: EventHandler<'media:produceData'> = async (
  { app, socket },
  payload,
) => callAsPeer(app.mediaRpc, requireMediaSession(socket.data), 'produceData', payload)
