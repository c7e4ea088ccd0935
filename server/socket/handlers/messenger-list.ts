import { listConversations } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** The user's conversations, newest activity first, with unread counts. */
export const handleMessengerList: EventHandler<'messenger:list'> = async ({ app, socket }) => ({
  conversations: await listConversations({ db: app.db, userId: socket.data.userId }),
})
