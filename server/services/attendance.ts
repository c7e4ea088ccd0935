// Attendance: one "meetingAttendance" row per media session (join → leave/disconnect/end) with the
// role the person had, plus the first-join / last-leave summary on meetingParticipant.
import type { Database } from '#core/db/client.ts'
import type { MeetingRole } from '#core/db/types.ts'
import { recordPresence } from './meetings.ts'

export async function startAttendance(options: {
  db: Database
  meetingId: string
  userId: string
  peerId: string
  role: MeetingRole
}): Promise<void> {
  await options.db
    .insertInto('meetingAttendance')
    .values({
      meetingId: options.meetingId,
      userId: options.userId,
      peerId: options.peerId,
      role: options.role,
    })
    .execute()
  await recordPresence({
    db: options.db,
    meetingId: options.meetingId,
    userId: options.userId,
    event: 'join',
  })
}

/**
 * Closes the session's row (idempotent). The participant counts as gone only when none of their
 * other sessions (another tab, a phone) is still open.
 */
export async function endAttendance(options: {
  db: Database
  meetingId: string
  userId: string
  peerId: string
}): Promise<void> {
  const closed = await options.db
    .updateTable('meetingAttendance')
    .set({ leftAt: new Date() })
    .where('peerId', '=', options.peerId)
    .where('leftAt', 'is', null)
    .executeTakeFirst()
  if (closed.numUpdatedRows === 0n) return
  const stillThere = await options.db
    .selectFrom('meetingAttendance')
    .select('id')
    .where('meetingId', '=', options.meetingId)
    .where('userId', '=', options.userId)
    .where('leftAt', 'is', null)
    .executeTakeFirst()
  if (!stillThere) {
    await recordPresence({
      db: options.db,
      meetingId: options.meetingId,
      userId: options.userId,
      event: 'leave',
    })
  }
}
