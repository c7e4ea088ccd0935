import { listDirectory } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** Public channels and people of the user's organization. */
export const handleMessengerDirectory: EventHandler<'messenger:directory'> = async ({
  app,
  socket,
}) => listDirectory({ db: app.db, userId: socket.data.userId })
