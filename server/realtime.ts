// How code outside the socket gateway (Remix loaders and actions on HTTP) tells people something
// live: the AppContext carries one Realtime, and the socket server attaches itself to it at boot.
// Emits go through the socket.io Redis adapter, so sockets on every web instance hear them
// (docs/decisions/0009-meeting-control-realtime.md).
import type { Database } from '#core/db/client.ts'
import type { Logger } from '#core/logger.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import { listLobby } from './services/meeting-control.ts'
import type { IoServer } from './socket/types.ts'

export type Realtime = {
  /** Called once by attachSocketServer; until then (and in processes without sockets) emits are dropped. */
  attach: (io: IoServer) => void
  /** Sends the meeting's current lobby to its moderators (`lobby:changed`). */
  lobbyChanged: (meetingId: string) => Promise<void>
}

export function createRealtime(options: { db: Database; log: Logger }): Realtime {
  let io: IoServer | undefined
  return {
    attach(server) {
      io = server
    },
    async lobbyChanged(meetingId) {
      if (!io) return
      try {
        const lobby = await listLobby({ db: options.db, meetingId })
        io.to(socketRooms.moderators(meetingId)).emit('lobby:changed', { lobby })
      } catch (error) {
        // A missed live update is not worth failing the request that caused it: moderators also
        // get the lobby with meeting:state.
        options.log.error({ err: error, meetingId }, 'announcing the lobby failed')
      }
    },
  }
}
