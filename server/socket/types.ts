// The typed socket.io server of the web process: event maps from core/protocol/signaling.ts, the
// server-side state of each socket, and the events web instances send each other.
import type { Server, Socket } from 'socket.io'
import type { MeetingRole } from '#core/db/types.ts'
import type { ClientToServerEvents, ServerToClientEvents } from '#core/protocol/signaling.ts'

/** Set by media:join from the database; every later media call uses these ids, never the payload's. */
export type MediaSession = {
  meetingId: string
  peerId: string
  role: MeetingRole
  nodeId: string
  nodeUrl: string
}

export type SocketData = {
  userId: string
  isGuest: boolean
  name: string
  media?: MediaSession
}

export type InterServerEvents = {
  /** A meeting was ended on some instance: each instance lets its own sockets go. */
  'meeting:ended': (meetingId: string) => void
  /** A participant was removed: each instance ends that user's media sessions in the meeting. */
  'participant:removed': (meetingId: string, userId: string) => void
}

export type IoServer = Server<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>
export type IoSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  InterServerEvents,
  SocketData
>
