// A moderator's actions on someone else's media, done on the SFU: the room's node is the one the
// moderator's own session uses (a room lives on one node), and the node's peer list says which
// producers are the target's, whatever web instance their sockets are on.
import type { ProducerSource } from '#core/protocol/media-types.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import type { MediaSession } from '#server/socket/types.ts'
import type { IoServer } from '#server/socket/types.ts'
import { nodeOf } from './peer-calls.ts'
import { callMedia, type MediaRpcClient } from './rpc-client.ts'

export type TargetProducer = { peerId: string; producerId: string; paused: boolean }

/** The producers of the given users' peers (every tab) in the room, of the given sources. */
export async function findProducers(options: {
  rpc: MediaRpcClient
  session: MediaSession
  userIds: readonly string[]
  sources: readonly ProducerSource[]
}): Promise<TargetProducer[]> {
  const { peers } = await callMedia(options.rpc, nodeOf(options.session), 'listPeers', {
    roomId: options.session.meetingId,
  })
  const users = new Set(options.userIds)
  return peers
    .filter((peer) => users.has(peer.userId))
    .flatMap((peer) =>
      peer.producers
        .filter((producer) => options.sources.includes(producer.source))
        .map((producer) => ({
          peerId: peer.peerId,
          producerId: producer.id,
          paused: producer.paused,
        })),
    )
}

/**
 * Pauses the users' microphones on the SFU and tells the room (not the owner: they hear
 * moderation:applied). A producer that went away meanwhile is skipped.
 */
export async function pauseMicrophones(options: {
  rpc: MediaRpcClient
  io: IoServer
  session: MediaSession
  userIds: readonly string[]
}): Promise<void> {
  if (options.userIds.length === 0) return
  const producers = await findProducers({ ...options, sources: ['microphone'] })
  await Promise.all(
    producers
      .filter((producer) => !producer.paused)
      .map(async ({ peerId, producerId }) => {
        const paused = await options.rpc.call(nodeOf(options.session), 'pauseProducer', {
          roomId: options.session.meetingId,
          peerId,
          producerId,
        })
        if (!paused.ok) return
        options.io
          .to(socketRooms.meeting(options.session.meetingId))
          .except(socketRooms.peer(peerId))
          .emit('media:producerPaused', { peerId, producerId })
      }),
  )
}

/**
 * Closes the user's producers of those sources on the SFU; the node announces each close to the
 * room (producer-closed), the owner hears moderation:applied.
 */
export async function closeProducers(options: {
  rpc: MediaRpcClient
  session: MediaSession
  userId: string
  sources: readonly ProducerSource[]
}): Promise<void> {
  const producers = await findProducers({ ...options, userIds: [options.userId] })
  await Promise.all(
    producers.map(({ peerId, producerId }) =>
      options.rpc.call(nodeOf(options.session), 'closeProducer', {
        roomId: options.session.meetingId,
        peerId,
        producerId,
      }),
    ),
  )
}
