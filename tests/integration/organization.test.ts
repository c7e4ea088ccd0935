// An organization's life over HTTP: the first user creates it, an admin invites a colleague by email,
// the colleague accepts, roles and branding change — and members cannot do what only admins may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addOrganizationMembers } from '#tests/fixtures/factories.ts'
import { createHttpClient, type HttpClient } from '#tests/fixtures/http-client.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(() => stack?.stop())

const password = 'a strong passphrase'

async function signUpAndVerify(email: string, name = 'Someone'): Promise<HttpClient> {
  const client = createHttpClient(stack.baseUrl)
  expect((await client.post('/signup', { name, email, password })).status).toBe(200)
  expect(
    (
      await client.get(
        linkIn(await stack.waitForMail(email, /Confirm your email|Подтвердите почту/)),
      )
    ).status,
  ).toBe(302)
  return client
}

describe('organization lifecycle', () => {
  let owner: HttpClient
  let colleague: HttpClient
  const colleagueEmail = `colleague-${Date.now()}@example.com`

  beforeAll(async () => {
    owner = await signUpAndVerify(`owner-${Date.now()}@example.com`, 'Owner')
  })

  it('lets the first user create the organization, and nobody after', async () => {
    const created = await owner.post('/onboarding', { name: 'Acme Ltd' })
    expect(created.status).toBe(302)
    expect(created.headers.get('location')).toBe('/meetings')

    const latecomer = await signUpAndVerify(`latecomer-${Date.now()}@example.com`)
    expect(await (await latecomer.get('/onboarding')).text()).toContain('Waiting for an invitation')
    expect((await latecomer.post('/onboarding', { name: 'Rival Org' })).status).toBe(403)
    expect((await latecomer.get('/meetings')).headers.get('location')).toBe('/onboarding')
    const organizations = await stack.database.db
      .selectFrom('organization')
      .select('name')
      .execute()
    expect(organizations.map((o) => o.name)).toEqual(['Acme Ltd'])
  })

  it('invites a colleague by email, who signs up and joins', async () => {
    const invited = await owner.post('/organization', {
      intent: 'invite',
      email: colleagueEmail,
      role: 'member',
    })
    expect(invited.status).toBe(200)
    const mail = await stack.waitForMail(colleagueEmail, /invited you/)
    const invitationPath = new URL(linkIn(mail)).pathname
    expect(invitationPath).toMatch(/^\/invitations\/[0-9a-f-]{36}$/)

    // Inviting the same address twice is refused with a field error.
    const again = await owner.post('/organization', {
      intent: 'invite',
      email: colleagueEmail,
      role: 'member',
    })
    expect(again.status).toBe(400)

    colleague = await signUpAndVerify(colleagueEmail, 'Colleague')
    const next = await colleague.get('/onboarding')
    expect(next.headers.get('location')).toBe(invitationPath)
    const accepted = await colleague.post(invitationPath, {})
    expect(accepted.headers.get('location')).toBe('/meetings')
    expect((await colleague.get('/meetings')).status).toBe(200)

    const member = await stack.database.db
      .selectFrom('member')
      .innerJoin('user', 'user.id', 'member.userId')
      .select(['member.role'])
      .where('user.email', '=', colleagueEmail)
      .executeTakeFirstOrThrow()
    expect(member.role).toBe('member')
  })

  it('does not let someone else accept an invitation meant for another address', async () => {
    const email = `invitee-${Date.now()}@example.com`
    await owner.post('/organization', { intent: 'invite', email, role: 'member' })
    const invitationPath = new URL(linkIn(await stack.waitForMail(email, /invited you/))).pathname
    const stranger = await signUpAndVerify(`stranger-${Date.now()}@example.com`)
    expect(await (await stranger.get(invitationPath)).text()).toContain('Sign in with that address')
    expect((await stranger.post(invitationPath, {})).status).toBe(403)
  })

  it('hides the admin page from members: viewing and acting look like "not found"', async () => {
    expect((await colleague.get('/organization')).status).toBe(404)
    expect(
      (
        await colleague.post('/organization', {
          intent: 'invite',
          email: 'x@example.com',
          role: 'admin',
        })
      ).status,
    ).toBe(404)
  })

  it('changes a role and records it in the audit log', async () => {
    const member = await stack.database.db
      .selectFrom('member')
      .innerJoin('user', 'user.id', 'member.userId')
      .select(['member.id'])
      .where('user.email', '=', colleagueEmail)
      .executeTakeFirstOrThrow()
    expect(
      (await owner.post('/organization', { intent: 'role', memberId: member.id, role: 'admin' }))
        .status,
    ).toBe(200)
    const row = await stack.database.db
      .selectFrom('member')
      .select('role')
      .where('id', '=', member.id)
      .executeTakeFirstOrThrow()
    expect(row.role).toBe('admin')
    const audit = await stack.database.db
      .selectFrom('auditLog')
      .select(['action', 'targetId'])
      .where('action', '=', 'member.role')
      .execute()
    expect(audit).toEqual([{ action: 'member.role', targetId: member.id }])
    // Now an admin, the colleague reaches the page.
    expect((await colleague.get('/organization')).status).toBe(200)
  })

  it('restyles the app with the brand color, and rejects a malformed one', async () => {
    expect(
      (
        await owner.post('/organization', {
          intent: 'branding',
          brandColor: 'red; background: url(x)',
          logoUrl: '',
        })
      ).status,
    ).toBe(400)
    expect(
      (
        await owner.post('/organization', {
          intent: 'branding',
          brandColor: '#12ab34',
          logoUrl: '',
        })
      ).status,
    ).toBe(200)
    expect(await (await colleague.get('/meetings')).text()).toMatch(/--brand:\s*#12ab34/)
  })

  it('schedules a meeting from the form and refuses one in the past', async () => {
    const form = {
      title: 'Quarterly review',
      durationMinutes: '60',
      timeZone: 'Europe/Moscow',
      access: 'closed',
      kind: 'meeting',
    }
    const past = await owner.post('/meetings/new', { ...form, start: '2020-01-01T10:00' })
    expect(past.status).toBe(400)
    expect(await past.text()).toContain('Choose a time in the future')
    const created = await owner.post('/meetings/new', {
      ...form,
      start: '2031-05-20T15:30',
      lobbyEnabled: 'on',
    })
    expect(created.headers.get('location')).toMatch(/^\/meetings\/[0-9a-f-]{36}$/)
    const meeting = await stack.database.db
      .selectFrom('meeting')
      .selectAll()
      .where('title', '=', 'Quarterly review')
      .executeTakeFirstOrThrow()
    expect(meeting.scheduledStart?.toISOString()).toBe('2031-05-20T12:30:00.000Z')
    expect(meeting.lobbyEnabled).toBe(true)
  })
})

describe('preferences and privacy', () => {
  it('remembers the language for a year, or only for the browser session when the user opts out', async () => {
    const user = await signUpAndVerify(`prefs-${Date.now()}@example.com`)
    const { db } = stack.database
    const [organization, account] = await Promise.all([
      db.selectFrom('organization').select('id').executeTakeFirstOrThrow(),
      db
        .selectFrom('user')
        .select('id')
        .where('email', 'like', 'prefs-%')
        .executeTakeFirstOrThrow(),
    ])
    await addOrganizationMembers(db, organization.id, [account.id])
    const remembered = await user.post('/preferences', { lng: 'ru', redirectTo: '/settings' })
    expect(remembered.headers.getSetCookie().find((c) => c.startsWith('lng='))).toMatch(
      /Max-Age=31536000/,
    )
    const row = await stack.database.db
      .selectFrom('user')
      .select('locale')
      .where('email', 'like', 'prefs-%')
      .executeTakeFirstOrThrow()
    expect(row.locale).toBe('ru')

    const optOut = await user.post('/settings', {
      intent: 'privacy',
      setting: 'rememberPreferences',
      enabled: 'false',
    })
    expect(optOut.headers.getSetCookie().find((c) => c.startsWith('lng='))).toMatch(/Max-Age=0/)
    const sessionOnly = await user.post('/preferences', { lng: 'en', redirectTo: '/settings' })
    const cookie = sessionOnly.headers.getSetCookie().find((c) => c.startsWith('lng='))
    expect(cookie).toBeDefined()
    expect(cookie).not.toMatch(/Max-Age/)
  })

  it('lists caught emails as JSON for tools in development', async () => {
    const email = `json-${Date.now()}@example.com`
    await createHttpClient(stack.baseUrl).post('/signup', { name: 'Json', email, password })
    await stack.waitForMail(email)
    const mails = (await (
      await fetch(`${stack.baseUrl}/dev/mail.json?to=${encodeURIComponent(email)}`)
    ).json()) as { to: string[]; subject: string }[]
    expect(mails).toHaveLength(1)
    expect(mails[0]?.to).toEqual([email])
  })
})
