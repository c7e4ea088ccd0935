import { presenceOf } from '#server/messenger/presence.ts'
import type { EventHandler } from '../handler.ts'

/** Current presence of some people (later changes arrive as `presence` events). */
export const handleMessengerPresence: EventHandler<'messenger:presence'> = async (
  { io },
  payload,
) => ({
  presence: await presenceOf(io).statuses(payload.userIds),
})
