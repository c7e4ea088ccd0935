import { searchMessages } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** Full-text search (Russian and English) across the user's own conversations. */
export const handleMessengerSearch: EventHandler<'messenger:search'> = async (
  { app, socket },
  payload,
) => ({
  hits: await searchMessages({ db: app.db, userId: socket.data.userId, ...payload }),
})
