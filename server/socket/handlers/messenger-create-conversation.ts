// Groups and channels are made the same way; the two events differ only in what they may set.
import { announceConversation } from '#server/messenger/fanout.ts'
import { createConversation } from '#server/services/messenger.ts'
import type { EventHandler, HandlerContext } from '../handler.ts'

type CreateOptions = Omit<Parameters<typeof createConversation>[0], 'db' | 'userId'>

async function createAndAnnounce({ app, io, socket, log }: HandlerContext, options: CreateOptions) {
  const { conversation, memberIds } = await createConversation({
    db: app.db,
    userId: socket.data.userId,
    ...options,
  })
  await announceConversation({ app, io, log, conversationId: conversation.id, userIds: memberIds })
  return { conversation }
}

/** A group chat; the creator is its admin, the others (from the organization) members. */
export const handleMessengerCreateGroup: EventHandler<'messenger:createGroup'> = (
  context,
  payload,
) =>
  createAndAnnounce(context, {
    kind: 'group',
    title: payload.title,
    memberIds: payload.memberIds,
  })

/** An announcement channel: only its admins post; public ones are listed in the directory. */
export const handleMessengerCreateChannel: EventHandler<'messenger:createChannel'> = (
  context,
  payload,
) =>
  createAndAnnounce(context, {
    kind: 'channel',
    title: payload.title,
    description: payload.description,
    isPublic: payload.isPublic,
    memberIds: payload.memberIds ?? [],
  })
