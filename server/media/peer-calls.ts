// Media-node calls on behalf of a joined socket: the room and the peer always come from the
// socket's server-side session, whatever the client sent.
import { AppError } from '#core/errors.ts'
import type {
  MediaRpcMethod,
  MediaRpcRequest,
  MediaRpcResponses,
} from '#core/protocol/media-rpc.ts'
import type { MediaSession, SocketData } from '#server/socket/types.ts'
import { callMedia, type MediaNodeAddress, type MediaRpcClient } from './rpc-client.ts'

type PeerMethod = Exclude<MediaRpcMethod, 'closeRoom' | 'joinRoom' | 'listPeers'>

export function nodeOf(session: MediaSession): MediaNodeAddress {
  return { id: session.nodeId, httpUrl: session.nodeUrl }
}

/** The socket's media session, or FORBIDDEN: every media event but join needs one. */
export function requireMediaSession(data: SocketData): MediaSession {
  if (!data.media) throw new AppError('FORBIDDEN', 'Join the meeting first (media:join)')
  return data.media
}

export function callAsPeer<M extends PeerMethod>(
  rpc: MediaRpcClient,
  session: MediaSession,
  method: M,
  request: Omit<MediaRpcRequest<M>, 'roomId' | 'peerId'>,
): Promise<MediaRpcResponses[M]> {
  return callMedia(rpc, nodeOf(session), method, {
    ...request,
    roomId: session.meetingId,
    peerId: session.peerId,
  } as MediaRpcRequest<M>)
}
