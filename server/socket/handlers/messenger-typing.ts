import { emitToUsers } from '#server/messenger/fanout.ts'
import { listMemberIds, requireConversationAccess } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** "X is typing" to the other members, volatile (a lost one is replaced by the next). */
export const handleMessengerTyping: EventHandler<'messenger:typing'> = async (
  { app, io, socket },
  payload,
) => {
  const { userId, name } = socket.data
  const access = await requireConversationAccess({ db: app.db, userId, ...payload })
  if (access.kind === 'channel' && access.role !== 'admin') return {}
  const memberIds = await listMemberIds({ db: app.db, conversationId: access.id })
  emitToUsers(
    io,
    memberIds,
    'messenger:typing',
    { conversationId: access.id, userId, name },
    { volatile: true, exceptUserId: userId },
  )
  return {}
}
