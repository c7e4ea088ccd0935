// A participant's media session in a meeting: who may open one, opening it on the room's
// media-node (with an attendance row), and closing it again.
import type { Database } from '#core/db/client.ts'
import type { Meeting, MeetingParticipant } from '#core/db/types.ts'
import { AppError, isAppError } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import type { PeerInfo } from '#core/protocol/media-types.ts'
import type { Redis } from '#core/redis.ts'
import { endAttendance, startAttendance } from '#server/services/attendance.ts'
import { findMeetingByInviteCode, getParticipant } from '#server/services/meetings.ts'
import type { MediaSession } from '#server/socket/types.ts'
import { nodeOf } from './peer-calls.ts'
import { placeRoom } from './placement.ts'
import { callMedia, type MediaRpcClient } from './rpc-client.ts'

/**
 * Only admitted participants get media. Unknown and cancelled codes and people with no participant
 * row (a guest of another meeting) get the same NOT_FOUND; people who know the meeting but may not
 * be in it (lobby, denied, removed) get FORBIDDEN.
 */
export async function authorizeMediaJoin(options: {
  db: Database
  inviteCode: string
  userId: string
}): Promise<{ meeting: Meeting; participant: MeetingParticipant }> {
  const meeting = await findMeetingByInviteCode({ db: options.db, code: options.inviteCode })
  const participant =
    meeting &&
    (await getParticipant({ db: options.db, meetingId: meeting.id, userId: options.userId }))
  if (!meeting || !participant) throw new AppError('NOT_FOUND', 'Meeting not found')
  if (participant.status === 'lobby') {
    throw new AppError('FORBIDDEN', 'You are waiting in the lobby until a moderator admits you')
  }
  if (participant.status !== 'admitted') {
    throw new AppError('FORBIDDEN', 'You are not admitted to this meeting')
  }
  if (meeting.status === 'ended') throw new AppError('CONFLICT', 'This meeting has ended')
  return { meeting, participant }
}

export type OpenedMediaSession = {
  session: MediaSession
  rtpCapabilities: unknown
  peers: PeerInfo[]
}

/** Joins the peer to the meeting's room on its media-node and starts its attendance row. */
export async function openMediaSession(options: {
  db: Database
  redis: Redis
  redisPrefix: string
  rpc: MediaRpcClient
  log: Logger
  meeting: Meeting
  participant: MeetingParticipant
  peerId: string
}): Promise<OpenedMediaSession> {
  const { db, meeting, participant, peerId } = options
  const node = await placeRoom({
    redis: options.redis,
    prefix: options.redisPrefix,
    meetingId: meeting.id,
  })
  const session: MediaSession = {
    meetingId: meeting.id,
    peerId,
    role: participant.role,
    nodeId: node.id,
    nodeUrl: node.httpUrl,
  }
  const joined = await callMedia(options.rpc, node, 'joinRoom', {
    roomId: meeting.id,
    peerId,
    userId: participant.userId,
    displayName: participant.displayName,
    role: participant.role,
  }).catch(async (error: unknown) => {
    // A call that timed out may have added the peer all the same: others would see a ghost.
    if (isAppError(error) && error.code === 'INTERNAL') {
      await options.rpc.call(node, 'leaveRoom', { roomId: meeting.id, peerId })
    }
    throw error
  })
  try {
    // Both settle before anything is undone, so a failure cannot leave an attendance row open.
    const [status, attendance] = await Promise.allSettled([
      // The meeting may have been ended while we were joining; do not keep a peer in a closed room.
      db.selectFrom('meeting').select('status').where('id', '=', meeting.id).executeTakeFirst(),
      startAttendance({
        db,
        meetingId: meeting.id,
        userId: participant.userId,
        peerId,
        role: participant.role,
      }),
    ])
    if (status.status === 'rejected') throw status.reason
    if (attendance.status === 'rejected') throw attendance.reason
    const current = status.value
    if (current?.status !== 'scheduled' && current?.status !== 'live') {
      throw new AppError('CONFLICT', 'This meeting has ended')
    }
  } catch (error) {
    await closeMediaSession({ ...options, session, userId: participant.userId })
    throw error
  }
  return { session, rtpCapabilities: joined.rtpCapabilities, peers: joined.peers }
}

/** Leaves the room on the node (best effort: the node closes empty rooms itself) and ends attendance. */
export async function closeMediaSession(options: {
  db: Database
  rpc: MediaRpcClient
  log: Logger
  session: MediaSession
  userId: string
}): Promise<void> {
  const { session } = options
  const left = await options.rpc.call(nodeOf(session), 'leaveRoom', {
    roomId: session.meetingId,
    peerId: session.peerId,
  })
  if (!left.ok && left.code !== 'NOT_FOUND') {
    options.log.warn(
      { meetingId: session.meetingId, peerId: session.peerId, code: left.code },
      'leaving the media room failed',
    )
  }
  await endAttendance({
    db: options.db,
    meetingId: session.meetingId,
    userId: options.userId,
    peerId: session.peerId,
  })
}
