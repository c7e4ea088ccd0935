import { announceConversation } from '#server/messenger/fanout.ts'
import { createConversation } from '#server/services/messenger.ts'
import type { EventHandler } from '../handler.ts'

/** An announcement channel: only its admins post; public ones are listed in the directory. */
export const handleMessengerCreateChannel: EventHandler<'messenger:createChannel'> = async (
  { app, io, socket, log },
  payload,
) => {
  const { conversation, memberIds } = await createConversation({
    db: app.db,
    userId: socket.data.userId,
    kind: 'channel',
    title: payload.title,
    description: payload.description,
    isPublic: payload.isPublic,
    memberIds: payload.memberIds ?? [],
  })
  await announceConversation({ app, io, log, conversationId: conversation.id, userIds: memberIds })
  return { conversation }
}
