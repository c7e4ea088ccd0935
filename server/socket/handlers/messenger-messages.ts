import { listConversationMessages } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** History by seq cursor: beforeSeq pages back, afterSeq catches up after a reconnect. */
export const handleMessengerMessages: EventHandler<'messenger:messages'> = async (
  { app, socket },
  payload,
) => listConversationMessages({ db: app.db, userId: socket.data.userId, ...payload })
