// Meeting domain rules against a real PostgreSQL: scheduling across time zones, "My meetings"
// listing, who may see or cancel a meeting, and who walks straight in through an invite link.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cancelMeeting,
  createInstantMeeting,
  createScheduledMeeting,
  enterMeeting,
  entryFor,
  getMeetingForMember,
  listMyMeetings,
  recordPresence,
} from '#server/services/meetings.ts'
import { createTestDatabase, type TestDatabase } from '#tests/fixtures/database.ts'
import {
  addOrganizationMembers,
  createOrganization,
  createUser,
} from '#tests/fixtures/factories.ts'

let database: TestDatabase
let organizer: { userId: string; name: string; organizationId: string }
let colleague: { id: string }
beforeAll(async () => {
  database = await createTestDatabase()
  const owner = await createUser(database.db, { name: 'Ольга' })
  const organization = await createOrganization(database.db, owner)
  organizer = { userId: owner.id, name: owner.name, organizationId: organization.id }
  colleague = await createUser(database.db, { name: 'Colleague' })
  await addOrganizationMembers(database.db, organization.id, [colleague.id])
})
afterAll(() => database.drop())

const scheduled = (
  overrides: Partial<Parameters<typeof createScheduledMeeting>[0]['input']> = {},
) =>
  createScheduledMeeting({
    db: database.db,
    organizer,
    input: {
      title: 'Planning',
      start: '2031-03-10T10:00',
      durationMinutes: 90,
      timeZone: 'Europe/Moscow',
      access: 'closed',
      lobbyEnabled: false,
      kind: 'meeting',
      ...overrides,
    },
  })

describe('scheduling', () => {
  it('stores the start in UTC from the wall time in the chosen zone, with the end after the duration', async () => {
    const meeting = await scheduled()
    expect(meeting.scheduledStart?.toISOString()).toBe('2031-03-10T07:00:00.000Z')
    expect(meeting.scheduledEnd?.toISOString()).toBe('2031-03-10T08:30:00.000Z')
    expect(meeting.timeZone).toBe('Europe/Moscow')
    expect(meeting.inviteCode).toMatch(/^[A-Za-z0-9_-]{24}$/)
  })

  it('makes the organizer an admitted participant and writes an audit row', async () => {
    const meeting = await createInstantMeeting({
      db: database.db,
      organizer,
      title: 'Now',
      ip: '10.0.0.1',
    })
    const participants = await database.db
      .selectFrom('meetingParticipant')
      .selectAll()
      .where('meetingId', '=', meeting.id)
      .execute()
    expect(participants.map((p) => [p.userId, p.role, p.status])).toEqual([
      [organizer.userId, 'organizer', 'admitted'],
    ])
    const audit = await database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('targetId', '=', meeting.id)
      .execute()
    expect(audit.map((a) => [a.action, a.actorId, a.ip])).toEqual([
      ['meeting.create', organizer.userId, '10.0.0.1'],
    ])
  })

  it('rejects a meeting that ends before it starts (database constraint)', async () => {
    await expect(scheduled({ durationMinutes: -30 })).rejects.toThrow(/check constraint/)
  })
})

describe('My meetings', () => {
  it('filters, searches, sorts and pages', async () => {
    const user = await createUser(database.db)
    const org = await createOrganization(database.db, user)
    const me = { userId: user.id, name: user.name, organizationId: org.id }
    const titles = ['Alpha review', 'Beta sync', 'Gamma 100% done', 'Delta']
    for (const [index, title] of titles.entries()) {
      await createScheduledMeeting({
        db: database.db,
        organizer: me,
        input: {
          title,
          start: `2031-01-0${index + 1}T09:00`,
          durationMinutes: 30,
          timeZone: 'UTC',
          access: 'closed',
          lobbyEnabled: false,
          kind: 'meeting',
        },
      })
    }
    const list = (options: Partial<Parameters<typeof listMyMeetings>[0]>) =>
      listMyMeetings({ db: database.db, userId: me.userId, organizationId: org.id, ...options })

    const byTitle = await list({ sort: 'title', direction: 'asc', pageSize: 3 })
    expect(byTitle.rows.map((r) => r.title)).toEqual(['Alpha review', 'Beta sync', 'Delta'])
    expect(byTitle.pageCount).toBe(2)
    expect(
      (await list({ sort: 'title', direction: 'asc', pageSize: 3, page: 2 })).rows.map(
        (r) => r.title,
      ),
    ).toEqual(['Gamma 100% done'])
    // "%" is a literal character in the search, not a wildcard.
    expect((await list({ query: '100%' })).rows.map((r) => r.title)).toEqual(['Gamma 100% done'])
    expect((await list({ query: '%' })).total).toBe(1)
    expect((await list({ filter: 'upcoming' })).total).toBe(4)
    expect((await list({ filter: 'past' })).total).toBe(0)
    // Another user of another organization sees none of them.
    expect(
      (await listMyMeetings({ db: database.db, userId: colleague.id, organizationId: org.id }))
        .total,
    ).toBe(0)
  })
})

describe('access to a meeting page', () => {
  it('is NOT_FOUND for an uninvolved colleague, visible to an org admin, and only the organizer cancels', async () => {
    const meeting = await scheduled()
    const asColleague = {
      db: database.db,
      meetingId: meeting.id,
      userId: colleague.id,
      organizationId: organizer.organizationId,
      isOrgAdmin: false,
    }
    await expect(getMeetingForMember(asColleague)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(getMeetingForMember({ ...asColleague, isOrgAdmin: true })).resolves.toMatchObject({
      canManage: true,
    })
    await expect(
      getMeetingForMember({ ...asColleague, meetingId: 'not-a-uuid' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' })

    await enterMeeting({
      db: database.db,
      meeting,
      entrant: {
        userId: colleague.id,
        displayName: 'Colleague',
        isGuest: false,
        isOrgMember: true,
      },
    })
    await expect(getMeetingForMember(asColleague)).resolves.toMatchObject({ canManage: false })
    await expect(cancelMeeting({ ...asColleague, actorId: colleague.id })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })

    await cancelMeeting({
      db: database.db,
      meetingId: meeting.id,
      actorId: organizer.userId,
      organizationId: organizer.organizationId,
      isOrgAdmin: false,
    })
    const row = await database.db
      .selectFrom('meeting')
      .select('status')
      .where('id', '=', meeting.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('cancelled')
  })
})

describe('entering through the invite link', () => {
  const meeting = { organizerId: 'organizer', access: 'closed', lobbyEnabled: false } as const
  const member = { userId: 'member', displayName: 'M', isGuest: false, isOrgMember: true }
  const outsider = { userId: 'outsider', displayName: 'O', isGuest: false, isOrgMember: false }
  const guest = { userId: 'guest', displayName: 'G', isGuest: true, isOrgMember: false }

  it('follows the access rules', () => {
    expect(entryFor(meeting, { ...member, userId: 'organizer' })).toEqual({
      role: 'organizer',
      status: 'admitted',
    })
    expect(entryFor(meeting, member)).toEqual({ role: 'participant', status: 'admitted' })
    expect(entryFor(meeting, outsider)).toEqual({ role: 'guest', status: 'lobby' })
    expect(entryFor(meeting, guest)).toEqual({ role: 'guest', status: 'lobby' })
    expect(entryFor({ ...meeting, access: 'open' }, guest)).toEqual({
      role: 'guest',
      status: 'admitted',
    })
    expect(entryFor({ ...meeting, access: 'open', lobbyEnabled: true }, member)).toEqual({
      role: 'participant',
      status: 'lobby',
    })
  })

  it('keeps a denied person denied when they open the link again', async () => {
    const row = await scheduled({ access: 'open' })
    const outsiderUser = await createUser(database.db)
    const entrant = {
      userId: outsiderUser.id,
      displayName: 'First name',
      isGuest: false,
      isOrgMember: false,
    }
    await enterMeeting({ db: database.db, meeting: row, entrant })
    await database.db
      .updateTable('meetingParticipant')
      .set({ status: 'denied' })
      .where('userId', '=', outsiderUser.id)
      .execute()
    const again = await enterMeeting({
      db: database.db,
      meeting: row,
      entrant: { ...entrant, displayName: 'New name' },
    })
    expect([again.status, again.displayName]).toEqual(['denied', 'New name'])
  })

  it('records attendance and marks the meeting live on the first join', async () => {
    const row = await scheduled()
    expect(
      await recordPresence({
        db: database.db,
        meetingId: row.id,
        userId: organizer.userId,
        event: 'join',
      }),
    ).toBe(true)
    const live = await database.db
      .selectFrom('meeting')
      .select(['status', 'startedAt'])
      .where('id', '=', row.id)
      .executeTakeFirstOrThrow()
    expect(live.status).toBe('live')
    expect(live.startedAt).toBeInstanceOf(Date)
    // People waiting in the lobby are not "in" the meeting.
    const waiting = await createUser(database.db)
    await enterMeeting({
      db: database.db,
      meeting: row,
      entrant: { userId: waiting.id, displayName: 'W', isGuest: true, isOrgMember: false },
    })
    expect(
      await recordPresence({
        db: database.db,
        meetingId: row.id,
        userId: waiting.id,
        event: 'join',
      }),
    ).toBe(false)
  })
})
