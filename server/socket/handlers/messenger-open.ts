import { openConversation } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** A conversation with its members and pinned messages (members only; others: NOT_FOUND). */
export const handleMessengerOpen: EventHandler<'messenger:open'> = async (
  { app, socket },
  payload,
) =>
  openConversation({
    db: app.db,
    userId: socket.data.userId,
    conversationId: payload.conversationId,
  })
