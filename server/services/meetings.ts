import { sql } from 'kysely'
import type { Database } from '#core/db/client.ts'
import type {
  Meeting,
  NewMeeting,
  MeetingAccess,
  MeetingKind,
  MeetingParticipant,
  MeetingRole,
  ParticipantStatus,
} from '#core/db/types.ts'
import { AppError } from '#core/errors.ts'
import { generateInviteCode } from '#core/invite-code.ts'
import { canDo } from '#core/permissions.ts'
import { zonedLocalToUtc } from '#core/time.ts'
import { writeAudit } from './audit.ts'

type Organizer = { userId: string; name: string; organizationId: string }

async function insertMeetingWithOrganizer(
  db: Database,
  organizer: Organizer,
  values: Omit<NewMeeting, 'inviteCode' | 'organizationId' | 'organizerId'>,
): Promise<Meeting> {
  return db.transaction().execute(async (trx) => {
    const meeting = await trx
      .insertInto('meeting')
      .values({
        inviteCode: generateInviteCode(),
        organizationId: organizer.organizationId,
        organizerId: organizer.userId,
        ...values,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('meetingParticipant')
      .values({
        meetingId: meeting.id,
        userId: organizer.userId,
        displayName: organizer.name,
        role: 'organizer',
        status: 'admitted',
      })
      .execute()
    return meeting
  })
}

export async function createInstantMeeting(options: {
  db: Database
  organizer: Organizer
  title: string
  ip?: string
}): Promise<Meeting> {
  const meeting = await insertMeetingWithOrganizer(options.db, options.organizer, {
    title: options.title,
    isInstant: true,
  })
  await writeAudit({
    db: options.db,
    actorId: options.organizer.userId,
    organizationId: options.organizer.organizationId,
    action: 'meeting.create',
    targetType: 'meeting',
    targetId: meeting.id,
    ip: options.ip,
    metadata: { instant: true },
  })
  return meeting
}

export type ScheduledMeetingInput = {
  title: string
  /** Wall time "YYYY-MM-DDTHH:MM" in `timeZone`. */
  start: string
  durationMinutes: number
  timeZone: string
  access: MeetingAccess
  lobbyEnabled: boolean
  kind: MeetingKind
}

export async function createScheduledMeeting(options: {
  db: Database
  organizer: Organizer
  input: ScheduledMeetingInput
  ip?: string
}): Promise<Meeting> {
  const { input } = options
  const scheduledStart = zonedLocalToUtc(input.start, input.timeZone)
  const scheduledEnd = new Date(scheduledStart.getTime() + input.durationMinutes * 60_000)
  const meeting = await insertMeetingWithOrganizer(options.db, options.organizer, {
    title: input.title,
    kind: input.kind,
    scheduledStart,
    scheduledEnd,
    timeZone: input.timeZone,
    access: input.access,
    lobbyEnabled: input.lobbyEnabled,
  })
  await writeAudit({
    db: options.db,
    actorId: options.organizer.userId,
    organizationId: options.organizer.organizationId,
    action: 'meeting.create',
    targetType: 'meeting',
    targetId: meeting.id,
    ip: options.ip,
    metadata: { scheduledStart: scheduledStart.toISOString() },
  })
  return meeting
}

export const MEETING_SORTS = ['title', 'scheduledStart', 'createdAt', 'status'] as const
export type MeetingSort = (typeof MEETING_SORTS)[number]
export type MeetingFilter = 'all' | 'upcoming' | 'past'

/** Meetings the user organizes or takes part in, in their organization, one page at a time. */
export async function listMyMeetings(options: {
  db: Database
  userId: string
  organizationId: string
  query?: string
  filter?: MeetingFilter
  sort?: MeetingSort
  direction?: 'asc' | 'desc'
  page?: number
  pageSize?: number
}) {
  const pageSize = options.pageSize ?? 10
  const page = Math.max(1, options.page ?? 1)
  let base = options.db
    .selectFrom('meeting')
    .where('meeting.organizationId', '=', options.organizationId)
    .where((eb) =>
      eb.or([
        eb('meeting.organizerId', '=', options.userId),
        eb.exists(
          eb
            .selectFrom('meetingParticipant')
            .select('meetingParticipant.id')
            .whereRef('meetingParticipant.meetingId', '=', 'meeting.id')
            .where('meetingParticipant.userId', '=', options.userId),
        ),
      ]),
    )
  if (options.query?.trim()) {
    base = base.where(
      'meeting.title',
      'ilike',
      `%${options.query.trim().replace(/[\\%_]/g, '\\$&')}%`,
    )
  }
  const now = new Date()
  if (options.filter === 'upcoming') {
    base = base
      .where('meeting.status', 'in', ['scheduled', 'live'])
      .where((eb) =>
        eb.or([eb('meeting.scheduledEnd', 'is', null), eb('meeting.scheduledEnd', '>=', now)]),
      )
  } else if (options.filter === 'past') {
    base = base.where((eb) =>
      eb.or([
        eb('meeting.status', 'in', ['ended', 'cancelled']),
        eb('meeting.scheduledEnd', '<', now),
      ]),
    )
  }
  const sort = options.sort ?? 'createdAt'
  const direction = options.direction ?? 'desc'
  const [rows, count] = await Promise.all([
    base
      .innerJoin('user as organizer', 'organizer.id', 'meeting.organizerId')
      .select([
        'meeting.id',
        'meeting.title',
        'meeting.inviteCode',
        'meeting.kind',
        'meeting.isInstant',
        'meeting.status',
        'meeting.access',
        'meeting.scheduledStart',
        'meeting.scheduledEnd',
        'meeting.timeZone',
        'meeting.createdAt',
        'organizer.name as organizerName',
        'meeting.organizerId',
      ])
      .orderBy(sql.ref(`meeting.${sort}`), sql.raw(`${direction} nulls last`))
      .orderBy('meeting.id')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
  ])
  return {
    rows,
    total: count.count,
    page,
    pageCount: Math.max(1, Math.ceil(count.count / pageSize)),
  }
}

/** Meetings of the organization between two instants (for the calendar). */
export async function listMeetingsBetween(options: {
  db: Database
  userId: string
  organizationId: string
  from: Date
  to: Date
}) {
  return options.db
    .selectFrom('meeting')
    .select(['id', 'title', 'scheduledStart', 'scheduledEnd', 'status'])
    .where('organizationId', '=', options.organizationId)
    .where('status', '!=', 'cancelled')
    .where('scheduledStart', '>=', options.from)
    .where('scheduledStart', '<', options.to)
    .where((eb) =>
      eb.or([
        eb('organizerId', '=', options.userId),
        eb.exists(
          eb
            .selectFrom('meetingParticipant')
            .select('meetingParticipant.id')
            .whereRef('meetingParticipant.meetingId', '=', 'meeting.id')
            .where('meetingParticipant.userId', '=', options.userId),
        ),
      ]),
    )
    .orderBy('scheduledStart')
    .execute()
}

/**
 * A meeting page for an employee: the organizer, its participants and the organization's admins may
 * see it. Anyone else gets NOT_FOUND, exactly like a meeting that does not exist.
 */
export async function getMeetingForMember(options: {
  db: Database
  meetingId: string
  userId: string
  organizationId: string
  isOrgAdmin: boolean
}) {
  if (!/^[0-9a-f-]{36}$/.test(options.meetingId))
    throw new AppError('NOT_FOUND', 'Meeting not found')
  const meeting = await options.db
    .selectFrom('meeting')
    .selectAll()
    .where('id', '=', options.meetingId)
    .where('organizationId', '=', options.organizationId)
    .executeTakeFirst()
  if (!meeting) throw new AppError('NOT_FOUND', 'Meeting not found')
  const participants = await options.db
    .selectFrom('meetingParticipant')
    .innerJoin('user', 'user.id', 'meetingParticipant.userId')
    .select([
      'meetingParticipant.id',
      'meetingParticipant.userId',
      'meetingParticipant.displayName',
      'meetingParticipant.role',
      'meetingParticipant.status',
      'meetingParticipant.joinedAt',
      'meetingParticipant.leftAt',
      'user.isAnonymous',
    ])
    .where('meetingParticipant.meetingId', '=', meeting.id)
    .orderBy('meetingParticipant.createdAt')
    .execute()
  const isInvolved =
    meeting.organizerId === options.userId || participants.some((p) => p.userId === options.userId)
  if (!isInvolved && !options.isOrgAdmin) throw new AppError('NOT_FOUND', 'Meeting not found')
  return {
    meeting,
    participants,
    canManage: meeting.organizerId === options.userId || options.isOrgAdmin,
  }
}

export async function cancelMeeting(options: {
  db: Database
  meetingId: string
  actorId: string
  organizationId: string
  isOrgAdmin: boolean
  ip?: string
}): Promise<void> {
  const { canManage } = await getMeetingForMember({ ...options, userId: options.actorId })
  if (!canManage) throw new AppError('FORBIDDEN', 'Only the organizer can cancel this meeting')
  await options.db
    .updateTable('meeting')
    .set({ status: 'cancelled', updatedAt: new Date() })
    .where('id', '=', options.meetingId)
    .execute()
  await writeAudit({
    db: options.db,
    actorId: options.actorId,
    organizationId: options.organizationId,
    action: 'meeting.cancel',
    targetType: 'meeting',
    targetId: options.meetingId,
    ip: options.ip,
  })
}

/** The meeting behind an invite code; cancelled meetings do not exist for invitees. */
export async function findMeetingByInviteCode(options: {
  db: Database
  code: string
}): Promise<Meeting | null> {
  const meeting = await options.db
    .selectFrom('meeting')
    .selectAll()
    .where('inviteCode', '=', options.code)
    .where('status', '!=', 'cancelled')
    .executeTakeFirst()
  return meeting ?? null
}

export type MeetingEntrant = {
  userId: string
  displayName: string
  isGuest: boolean
  isOrgMember: boolean
}

/**
 * Who may walk straight in: the organizer always; with the lobby on, nobody else; in an open meeting
 * everyone; in a closed one only the organization's members — outsiders wait for a moderator.
 */
export function entryFor(
  meeting: Pick<Meeting, 'organizerId' | 'access' | 'lobbyEnabled'>,
  entrant: MeetingEntrant,
): {
  role: MeetingRole
  status: ParticipantStatus
} {
  if (entrant.userId === meeting.organizerId) return { role: 'organizer', status: 'admitted' }
  const role: MeetingRole = entrant.isOrgMember && !entrant.isGuest ? 'participant' : 'guest'
  if (meeting.lobbyEnabled) return { role, status: 'lobby' }
  if (meeting.access === 'open' || role === 'participant') return { role, status: 'admitted' }
  return { role, status: 'lobby' }
}

/** Who must hear that someone new waits in a lobby (server/realtime.ts; absent in scripts). */
export type LobbyNotifier = { lobbyChanged: (meetingId: string) => Promise<void> }

/**
 * Records that someone opened the invite link (idempotent). A person already denied or removed stays
 * so; their display name is refreshed. A locked meeting takes nobody new: NOT_FOUND, exactly like
 * an unknown code. Someone new in the lobby is announced to the meeting's moderators.
 */
export async function enterMeeting(options: {
  db: Database
  meeting: Meeting
  entrant: MeetingEntrant
  notifier?: LobbyNotifier
}): Promise<MeetingParticipant> {
  if (options.meeting.isLocked) {
    const existing = await options.db
      .updateTable('meetingParticipant')
      .set({ displayName: options.entrant.displayName })
      .where('meetingId', '=', options.meeting.id)
      .where('userId', '=', options.entrant.userId)
      .returningAll()
      .executeTakeFirst()
    if (!existing) throw new AppError('NOT_FOUND', 'Meeting not found')
    return existing
  }
  const { role, status } = entryFor(options.meeting, options.entrant)
  const { isInserted, ...participant } = await options.db
    .insertInto('meetingParticipant')
    .values({
      meetingId: options.meeting.id,
      userId: options.entrant.userId,
      displayName: options.entrant.displayName,
      role,
      status,
    })
    .onConflict((oc) =>
      oc
        .columns(['meetingId', 'userId'])
        .doUpdateSet({ displayName: (eb) => eb.ref('excluded.displayName') }),
    )
    .returningAll()
    // xmax is 0 only for a row this statement inserted (an upsert's update sets it).
    .returning(sql<boolean>`xmax = 0`.as('isInserted'))
    .executeTakeFirstOrThrow()
  if (isInserted && participant.status === 'lobby') {
    await options.notifier?.lobbyChanged(options.meeting.id)
  }
  return participant
}

export async function getParticipant(options: { db: Database; meetingId: string; userId: string }) {
  return (
    (await options.db
      .selectFrom('meetingParticipant')
      .selectAll()
      .where('meetingId', '=', options.meetingId)
      .where('userId', '=', options.userId)
      .executeTakeFirst()) ?? null
  )
}

/** Attendance: the first join and the last leave of an admitted participant (the media issue adds every session). */
export async function recordPresence(options: {
  db: Database
  meetingId: string
  userId: string
  event: 'join' | 'leave'
}) {
  const now = new Date()
  const update =
    options.event === 'join'
      ? options.db
          .updateTable('meetingParticipant')
          .set((eb) => ({ joinedAt: eb.fn.coalesce('joinedAt', eb.val(now)), leftAt: null }))
      : options.db.updateTable('meetingParticipant').set({ leftAt: now })
  const result = await update
    .where('meetingId', '=', options.meetingId)
    .where('userId', '=', options.userId)
    .where('status', '=', 'admitted')
    .executeTakeFirst()
  if (options.event === 'join' && result.numUpdatedRows > 0n) {
    await options.db
      .updateTable('meeting')
      .set({ status: 'live', startedAt: now, updatedAt: now })
      .where('id', '=', options.meetingId)
      .where('status', '=', 'scheduled')
      .execute()
  }
  return result.numUpdatedRows > 0n
}

export async function listAdmittedParticipants(options: { db: Database; meetingId: string }) {
  return options.db
    .selectFrom('meetingParticipant')
    .select(['userId', 'displayName', 'role', 'joinedAt', 'leftAt'])
    .where('meetingId', '=', options.meetingId)
    .where('status', '=', 'admitted')
    .orderBy('createdAt')
    .execute()
}

/**
 * Ends the meeting for everyone: status 'ended', every open attendance closed, an audit row. Only an
 * admitted organizer or co-host may; ending an ended meeting again changes nothing.
 */
export async function endMeeting(options: {
  db: Database
  meetingId: string
  actorId: string
  ip?: string
}): Promise<{ hasEnded: boolean }> {
  const actor = await getParticipant({
    db: options.db,
    meetingId: options.meetingId,
    userId: options.actorId,
  })
  if (!actor || actor.status !== 'admitted' || !canDo(actor.role, 'meeting.end')) {
    throw new AppError('FORBIDDEN', 'Only the organizer or a co-host can end the meeting')
  }
  return options.db.transaction().execute(async (trx) => {
    const now = new Date()
    const ended = await trx
      .updateTable('meeting')
      .set({ status: 'ended', endedAt: now, updatedAt: now })
      .where('id', '=', options.meetingId)
      .where('status', 'in', ['scheduled', 'live'])
      .returning(['organizationId'])
      .executeTakeFirst()
    if (!ended) return { hasEnded: false }
    await trx
      .updateTable('meetingAttendance')
      .set({ leftAt: now })
      .where('meetingId', '=', options.meetingId)
      .where('leftAt', 'is', null)
      .execute()
    await trx
      .updateTable('meetingParticipant')
      .set({ leftAt: now })
      .where('meetingId', '=', options.meetingId)
      .where('joinedAt', 'is not', null)
      .where('leftAt', 'is', null)
      .execute()
    await writeAudit({
      db: trx,
      actorId: options.actorId,
      organizationId: ended.organizationId,
      action: 'meeting.end',
      targetType: 'meeting',
      targetId: options.meetingId,
      ip: options.ip,
    })
    return { hasEnded: true }
  })
}
