// HTTP-level behaviour of sign-in, password reset, magic links, guest sessions and invite codes,
// against the real web + workers processes, PostgreSQL, Redis and SMTP catcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMeeting, createOrganization, createUser } from '#tests/fixtures/factories.ts'
import { createHttpClient } from '#tests/fixtures/http-client.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack?.stop()
})

const password = 'a strong passphrase'

/** Signs up through the form and confirms the email by following the link from the email. */
async function signUpAndVerify(email: string) {
  const client = createHttpClient(stack.baseUrl)
  const signup = await client.post('/signup', { name: 'Вера Проверкина', email, password })
  expect(signup.status).toBe(200)
  const verify = await client.get(
    linkIn(await stack.waitForMail(email, /Confirm your email|Подтвердите почту/)),
  )
  expect(verify.status).toBe(302)
  expect(verify.headers.get('location')).toContain('/onboarding')
  return client
}

describe('sign-in', () => {
  it('answers 429 with Retry-After after 10 wrong passwords for one email', async () => {
    const client = createHttpClient(stack.baseUrl)
    const form = { intent: 'password', email: 'target@example.com', password: 'wrong-password' }
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await client.post('/login', form)).status).toBe(401)
    }
    const limited = await client.post('/login', form)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited.text()).toContain('Too many attempts')
    // Another account from the same address is still allowed to try.
    expect(
      (await client.post('/login', { ...form, email: 'someone-else@example.com' })).status,
    ).toBe(401)
  })

  it('refuses an unverified account and resends the confirmation email', async () => {
    const client = createHttpClient(stack.baseUrl)
    const email = `unverified-${Date.now()}@example.com`
    await client.post('/signup', { name: 'Late Confirmer', email, password })
    await stack.waitForMail(email)
    const response = await client.post('/login', { intent: 'password', email, password })
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('Confirm your email first')
    await expect
      .poll(
        async () =>
          (await stack.redis.lrange(`${stack.redisPrefix}dev:mail`, 0, -1)).filter((m) =>
            m.includes(email),
          ).length,
      )
      .toBe(2)
  })

  it('shows field errors for invalid input, from the server, without JavaScript', async () => {
    const response = await createHttpClient(stack.baseUrl).post('/signup', {
      name: '',
      email: 'not-an-email',
      password: 'short',
    })
    expect(response.status).toBe(400)
    const html = await response.text()
    expect(html).toContain('Enter a valid email address')
    expect(html).toContain('At least 8 characters')
    expect(html).toContain('Required')
  })

  it('refuses a state-changing request from another site (CSRF)', async () => {
    const response = await createHttpClient(stack.baseUrl).post(
      '/login',
      { intent: 'password', email: 'a@b.c', password },
      { origin: 'https://evil.example' },
    )
    expect(response.status).toBe(403)
  })
})

describe('password reset and magic link', () => {
  it('resets a password through the emailed link', async () => {
    const email = `reset-${Date.now()}@example.com`
    await signUpAndVerify(email)
    const client = createHttpClient(stack.baseUrl)
    expect((await client.post('/forgot-password', { email })).status).toBe(200)
    const resetLink = linkIn(
      await stack.waitForMail(email, /Reset your Vstrecha password|Сброс пароля/),
    )
    const toForm = await client.get(resetLink)
    expect(toForm.status).toBe(302)
    const formUrl = new URL(toForm.headers.get('location')!, stack.baseUrl)
    expect(formUrl.pathname).toBe('/reset-password')
    const token = formUrl.searchParams.get('token')!
    const newPassword = 'an even stronger passphrase'
    const reset = await client.post('/reset-password', {
      token,
      password: newPassword,
      confirm: newPassword,
    })
    expect(reset.status).toBe(302)
    expect(reset.headers.get('location')).toBe('/login?reset=1')
    expect((await client.post('/login', { intent: 'password', email, password })).status).toBe(401)
    expect(
      (await client.post('/login', { intent: 'password', email, password: newPassword })).status,
    ).toBe(302)
    // The token works once.
    expect(
      (await client.post('/reset-password', { token, password: newPassword, confirm: newPassword }))
        .status,
    ).toBe(400)
  })

  it('signs in with a magic link, once', async () => {
    const email = `magic-${Date.now()}@example.com`
    await signUpAndVerify(email)
    const client = createHttpClient(stack.baseUrl)
    const request = await client.post('/login', { intent: 'magic-link', email })
    expect(request.status).toBe(200)
    const link = linkIn(await stack.waitForMail(email, /sign-in link|Ссылка для входа/))
    const signedIn = await client.get(link)
    expect(signedIn.status).toBe(302)
    expect(client.cookieHeader()).toContain('vstrecha.session_token')
    expect((await client.get('/onboarding')).status).toBe(200)

    const replay = createHttpClient(stack.baseUrl)
    const again = await replay.get(link)
    expect(again.headers.get('location')).toContain('magicLink=failed')
    expect(replay.cookieHeader()).not.toContain('vstrecha.session_token')
  })
})

describe('invite links', () => {
  let owner: Awaited<ReturnType<typeof createUser>>
  let organizationId: string
  beforeAll(async () => {
    owner = await createUser(stack.database.db, { name: 'Owner' })
    organizationId = (await createOrganization(stack.database.db, owner)).id
  })

  /** The per-response CSP nonce is the only part allowed to differ. */
  const strip = (html: string) => {
    const nonce = /nonce="([^"]+)"/.exec(html)?.[1]
    return nonce ? html.replaceAll(nonce, '') : html
  }

  it('answers malformed, unknown and cancelled codes with the same 404 page', async () => {
    const cancelled = await createMeeting(stack.database.db, {
      organizationId,
      organizerId: owner.id,
      status: 'cancelled',
    })
    const client = createHttpClient(stack.baseUrl)
    const responses = await Promise.all(
      [
        '/m/short',
        '/m/AAAAAAAAAAAAAAAAAAAAAAAA',
        `/m/${cancelled.inviteCode}`,
        '/m/%3Cscript%3E',
      ].map((path) => client.get(path)),
    )
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404])
    const bodies = await Promise.all(responses.map(async (r) => strip(await r.text())))
    expect(new Set(bodies).size).toBe(1)
    expect(bodies[0]).toContain('Not found')
  })

  it('gives a guest a session for that one meeting only', async () => {
    const meeting = await createMeeting(stack.database.db, {
      organizationId,
      organizerId: owner.id,
    })
    const other = await createMeeting(stack.database.db, {
      organizationId,
      organizerId: owner.id,
      access: 'open',
    })
    const guest = createHttpClient(stack.baseUrl)

    const form = await guest.get(`/m/${meeting.inviteCode}`)
    expect(form.status).toBe(200)
    expect(await form.text()).toContain('Type your name')

    const tooLong = await guest.post(`/m/${meeting.inviteCode}`, { name: 'x'.repeat(81) })
    expect(tooLong.status).toBe(400)

    const entered = await guest.post(`/m/${meeting.inviteCode}`, { name: '<b>Гость</b>' })
    expect(entered.status).toBe(302)
    const prejoin = await (await guest.get(`/m/${meeting.inviteCode}`)).text()
    expect(prejoin).toContain('You join as &lt;b&gt;Гость&lt;/b&gt;')
    // Outsiders of a closed meeting wait in the lobby.
    expect(prejoin).toContain('you will wait in the lobby')

    const row = await stack.database.db
      .selectFrom('meetingParticipant')
      .innerJoin('user', 'user.id', 'meetingParticipant.userId')
      .select([
        'meetingParticipant.role',
        'meetingParticipant.status',
        'meetingParticipant.meetingId',
        'user.isAnonymous',
      ])
      .where('meetingParticipant.displayName', '=', '<b>Гость</b>')
      .execute()
    expect(row).toEqual([
      { role: 'guest', status: 'lobby', meetingId: meeting.id, isAnonymous: true },
    ])

    // Nothing else in the product is reachable with a guest session…
    for (const path of ['/meetings', '/calendar', '/settings', '/onboarding']) {
      expect((await guest.get(path)).status, path).toBe(404)
    }
    // …and another meeting's link asks for a name again instead of reusing the guest.
    const otherPage = await (await guest.get(`/m/${other.inviteCode}`)).text()
    expect(otherPage).toContain('Type your name')
  })

  it('sends a signed-in outsider of a closed meeting to the lobby', async () => {
    const meeting = await createMeeting(stack.database.db, {
      organizationId,
      organizerId: owner.id,
    })
    const outsiderEmail = `outsider-${Date.now()}@example.com`
    const outsider = await signUpAndVerify(outsiderEmail)
    const page = await (await outsider.get(`/m/${meeting.inviteCode}`)).text()
    expect(page).toContain('you will wait in the lobby')
  })
})

describe('invite-code lookups', () => {
  let limited: Stack
  beforeAll(async () => {
    // A twentieth of the normal budget: 6 lookups a minute per address.
    limited = await startStack({ env: { RATE_LIMIT_FACTOR: '0.05' } })
  })
  afterAll(() => limited?.stop())

  it('never limit a real link, however many people behind one address open it', async () => {
    const owner = await createUser(limited.database.db)
    const organization = await createOrganization(limited.database.db, owner)
    const meeting = await createMeeting(limited.database.db, {
      organizationId: organization.id,
      organizerId: owner.id,
      access: 'open',
    })
    const statuses = new Set<number>()
    for (let i = 0; i < 20; i++) {
      statuses.add((await createHttpClient(limited.baseUrl).get(`/m/${meeting.inviteCode}`)).status)
    }
    expect([...statuses]).toEqual([200])
  })

  it('are rate limited per address on misses, so codes cannot be scanned', async () => {
    const client = createHttpClient(limited.baseUrl)
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await client.get(`/m/${'B'.repeat(23)}${i}`)).status)
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429])
  })
})
