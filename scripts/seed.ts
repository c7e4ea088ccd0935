// npm run db:seed — the demo organization, its three users, one scheduled meeting and an
// announcement channel with a welcome post (scripts/demo-accounts.ts). Idempotent: everything is looked up first and only what is missing is
// created, so a second run changes nothing (an existing user keeps its password). Progress goes to
// stderr; stdout gets only the demo logins, which scripts/up.sh shows in its banner.
import { createDatabase } from '#core/db/client.ts'
import { createAuth } from '#server/auth.ts'
import type { Queues } from '#server/queues.ts'
import { createScheduledMeeting } from '#server/services/meetings.ts'
import { createConversation, postConversationMessage } from '#server/services/messenger.ts'
import {
  DEMO_ACCOUNTS,
  DEMO_CHANNEL,
  DEMO_MEETING,
  DEMO_ORGANIZATION,
  DEMO_PASSWORD,
  formatDemoLogins,
} from './demo-accounts.ts'

const url = process.env.DATABASE_URL ?? 'postgres://vstrecha:vstrecha@127.0.0.1:54329/vstrecha'
const db = createDatabase({ url, maxConnections: 2 })
const changes: string[] = []

/** "YYYY-MM-DD" of the first Monday after today's date in `timeZone`. */
function nextMonday(timeZone: string, now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now)
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value)
  const today = new Date(Date.UTC(get('year'), get('month') - 1, get('day')))
  const daysAhead = (8 - today.getUTCDay()) % 7 || 7 // Sunday=0 → 1, Monday=1 → 7
  today.setUTCDate(today.getUTCDate() + daysAhead)
  return today.toISOString().slice(0, 10)
}

async function ensureUsers(): Promise<Map<string, { id: string; name: string }>> {
  // Users go through better-auth so the password hash and account row are exactly what sign-in
  // expects. Seeded users need no verification email, so the queue is a no-op.
  const queues: Queues = { enqueueEmail: async () => {}, close: async () => {} }
  const auth = createAuth({
    db,
    secret: process.env.AUTH_SECRET ?? 'seed-only-secret-not-used-for-sessions-0123',
    baseURL: process.env.PUBLIC_URL ?? 'http://localhost:3000',
    trustedOrigins: [],
    queues,
  })
  const users = new Map<string, { id: string; name: string }>()
  for (const account of DEMO_ACCOUNTS) {
    let user = await db
      .selectFrom('user')
      .select(['id', 'name', 'emailVerified'])
      .where('email', '=', account.email)
      .executeTakeFirst()
    if (!user) {
      await auth.api.signUpEmail({
        body: {
          name: account.name,
          email: account.email,
          password: DEMO_PASSWORD,
          locale: account.locale,
        },
      })
      user = await db
        .selectFrom('user')
        .select(['id', 'name', 'emailVerified'])
        .where('email', '=', account.email)
        .executeTakeFirstOrThrow()
      changes.push(`user ${account.email}`)
    }
    if (!user.emailVerified) {
      await db
        .updateTable('user')
        .set({ emailVerified: true, updatedAt: new Date() })
        .where('id', '=', user.id)
        .execute()
      changes.push(`verified ${account.email}`)
    }
    users.set(account.email, { id: user.id, name: user.name })
  }
  return users
}

async function ensureOrganization(users: Map<string, { id: string }>): Promise<string> {
  let org = await db
    .selectFrom('organization')
    .select('id')
    .where('slug', '=', DEMO_ORGANIZATION.slug)
    .executeTakeFirst()
  if (!org) {
    org = await db
      .insertInto('organization')
      .values({
        id: crypto.randomUUID(),
        name: DEMO_ORGANIZATION.name,
        slug: DEMO_ORGANIZATION.slug,
        logo: null,
        metadata: null,
        createdAt: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    changes.push(`organization ${DEMO_ORGANIZATION.name}`)
  }
  for (const account of DEMO_ACCOUNTS) {
    const inserted = await db
      .insertInto('member')
      .values({
        id: crypto.randomUUID(),
        organizationId: org.id,
        userId: users.get(account.email)!.id,
        role: account.role,
        createdAt: new Date(),
      })
      .onConflict((oc) => oc.columns(['organizationId', 'userId']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted) changes.push(`member ${account.email} (${account.role})`)
  }
  return org.id
}

async function ensureMeeting(
  organizationId: string,
  users: Map<string, { id: string; name: string }>,
): Promise<void> {
  const [organizerAccount, ...others] = DEMO_ACCOUNTS
  const organizer = users.get(organizerAccount.email)!
  // Looked up by title whatever its status, so a demo meeting that was held or cancelled is not
  // recreated behind the user's back.
  let meeting = await db
    .selectFrom('meeting')
    .select('id')
    .where('organizationId', '=', organizationId)
    .where('organizerId', '=', organizer.id)
    .where('title', '=', DEMO_MEETING.title)
    .executeTakeFirst()
  if (!meeting) {
    const start = `${nextMonday(DEMO_MEETING.timeZone)}T${DEMO_MEETING.time}`
    meeting = await createScheduledMeeting({
      db,
      organizer: { userId: organizer.id, name: organizer.name, organizationId },
      input: {
        title: DEMO_MEETING.title,
        start,
        durationMinutes: DEMO_MEETING.durationMinutes,
        timeZone: DEMO_MEETING.timeZone,
        access: 'closed',
        lobbyEnabled: false,
        kind: 'meeting',
      },
    })
    changes.push(`meeting "${DEMO_MEETING.title}" on ${start} ${DEMO_MEETING.timeZone}`)
  }
  for (const account of others) {
    const user = users.get(account.email)!
    const inserted = await db
      .insertInto('meetingParticipant')
      .values({
        meetingId: meeting.id,
        userId: user.id,
        displayName: user.name,
        role: 'participant',
        status: 'invited',
      })
      .onConflict((oc) => oc.columns(['meetingId', 'userId']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (inserted) changes.push(`participant ${account.email}`)
  }
}

async function ensureChannel(
  organizationId: string,
  users: Map<string, { id: string; name: string }>,
): Promise<void> {
  const owner = users.get(DEMO_ACCOUNTS[0].email)!
  let channel = await db
    .selectFrom('conversation')
    .select('id')
    .where('organizationId', '=', organizationId)
    .where('kind', '=', 'channel')
    .where('title', '=', DEMO_CHANNEL.title)
    .executeTakeFirst()
  if (!channel) {
    const { conversation } = await createConversation({
      db,
      userId: owner.id,
      kind: 'channel',
      title: DEMO_CHANNEL.title,
      description: DEMO_CHANNEL.description,
      isPublic: true,
      memberIds: [...users.values()].map((user) => user.id),
    })
    channel = { id: conversation.id }
    changes.push(`channel "${DEMO_CHANNEL.title}"`)
  }
  const { isNew } = await postConversationMessage({
    db,
    userId: owner.id,
    conversationId: channel.id,
    body: DEMO_CHANNEL.welcome,
    idempotencyKey: DEMO_CHANNEL.welcomeKey,
  })
  if (isNew) changes.push('welcome post')
}

try {
  const users = await ensureUsers()
  const organizationId = await ensureOrganization(users)
  await ensureMeeting(organizationId, users)
  await ensureChannel(organizationId, users)
  console.error(
    changes.length
      ? `seed: created ${changes.join(', ')}`
      : 'seed: demo data already present, nothing changed',
  )
  console.log(formatDemoLogins())
} catch (error) {
  console.error('seed failed:', error)
  process.exitCode = 1
} finally {
  await db.destroy()
}
