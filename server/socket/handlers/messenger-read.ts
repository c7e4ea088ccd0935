import { emitToUsers } from '#server/messenger/fanout.ts'
import { listMemberIds, markRead } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/**
 * Moves the read marker; the user's other tabs follow, and in direct chats and groups the other
 * members see it as a read receipt (channels keep it to the reader: too many members).
 */
export const handleMessengerRead: EventHandler<'messenger:read'> = async (
  { app, io, socket },
  payload,
) => {
  const userId = socket.data.userId
  const result = await markRead({ db: app.db, userId, ...payload })
  const audience =
    result.kind === 'direct' || result.kind === 'group'
      ? await listMemberIds({ db: app.db, conversationId: payload.conversationId })
      : [userId]
  emitToUsers(io, audience, 'messenger:read', {
    conversationId: payload.conversationId,
    userId,
    seq: result.lastReadSeq,
  })
  return { lastReadSeq: result.lastReadSeq, unreadCount: result.unreadCount }
}
