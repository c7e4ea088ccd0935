import { AppError } from '#core/errors.ts'
import { requireMediaSession } from '#server/media/peer-calls.ts'
import {
  findMeetingConversation,
  isConversationMember,
  listMessages,
} from '#server/services/chat.ts'
import type { EventHandler } from '../handler.ts'

/** A page of the meeting's chat, for members of its conversation. */
export const handleChatHistory: EventHandler<'chat:history'> = async ({ app, socket }, payload) => {
  const session = requireMediaSession(socket.data)
  const conversation = await findMeetingConversation({ db: app.db, meetingId: session.meetingId })
  if (!conversation) return { messages: [], hasMore: false }
  const isMember = await isConversationMember({
    db: app.db,
    conversationId: conversation.id,
    userId: socket.data.userId,
  })
  if (!isMember) throw new AppError('FORBIDDEN', 'You are not a member of this chat')
  return listMessages({ db: app.db, conversationId: conversation.id, ...payload })
}
