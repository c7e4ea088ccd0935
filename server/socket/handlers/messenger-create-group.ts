import { announceConversation } from '#server/messenger/fanout.ts'
import { createConversation } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** A group chat; the creator is its admin, the others (from the organization) members. */
export const handleMessengerCreateGroup: EventHandler<'messenger:createGroup'> = async (
  { app, io, socket, log },
  payload,
) => {
  const { conversation, memberIds } = await createConversation({
    db: app.db,
    userId: socket.data.userId,
    kind: 'group',
    title: payload.title,
    memberIds: payload.memberIds,
  })
  await announceConversation({ app, io, log, conversationId: conversation.id, userIds: memberIds })
  return { conversation }
}
