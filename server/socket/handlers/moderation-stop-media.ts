import type { ProducerSource } from '#core/protocol/media-types.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import { closeProducers } from '#server/media/moderation.ts'
import { stopParticipantMedia } from '#server/services/meeting-control.ts'
import { requireSessionActor, type EventHandler, type HandlerContext } from '../handler.ts'

const STOPPED: Record<
  'camera' | 'screen',
  { sources: ProducerSource[]; action: 'stopCamera' | 'stopScreen' }
> = {
  camera: { sources: ['camera'], action: 'stopCamera' },
  // The screen share's audio goes with it.
  screen: { sources: ['screen', 'screen-audio'], action: 'stopScreen' },
}

/** Closes the person's producers on the SFU (the node tells the room); they are told who did it. */
async function stopMedia(context: HandlerContext, userId: string, media: 'camera' | 'screen') {
  const { session, actor } = requireSessionActor(context)
  const { actorName } = await stopParticipantMedia({ ...actor, targetUserId: userId, media })
  const { sources, action } = STOPPED[media]
  await closeProducers({ rpc: context.app.mediaRpc, session, userId, sources })
  context.io.to(socketRooms.user(userId)).emit('moderation:applied', { action, byName: actorName })
  return {}
}

export const handleModerationStopCamera: EventHandler<'moderation:stopCamera'> = (
  context,
  { userId },
) => stopMedia(context, userId, 'camera')

export const handleModerationStopScreen: EventHandler<'moderation:stopScreen'> = (
  context,
  { userId },
) => stopMedia(context, userId, 'screen')
