import { presenceOf } from '#server/messenger/presence.ts'
import type { EventHandler } from '../handler.ts'

/** The tab went to the background (away) or came back (online). */
export const handleMessengerSetPresence: EventHandler<'messenger:setPresence'> = async (
  { io, socket },
  payload,
) => {
  await presenceOf(io).set(socket, payload.status)
  return {}
}
