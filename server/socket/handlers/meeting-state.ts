import { requireMediaSession } from '#server/media/peer-calls.ts'
import { getControlState } from '#server/services/meeting-control.ts'
import type { EventHandler } from '../handler.ts'

/** Settings, admitted participants (roles, hands, moderator mutes), the lobby for moderators. */
export const handleMeetingState: EventHandler<'meeting:state'> = async ({ app, socket }) => {
  const session = requireMediaSession(socket.data)
  return getControlState({ db: app.db, meetingId: session.meetingId, userId: socket.data.userId })
}
