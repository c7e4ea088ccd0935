// `npm start` seeds the demo organization (scripts/seed.ts): what it promises in the banner must
// exist and work, and a second run (every later `npm start`) must change nothing.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEMO_ACCOUNTS, DEMO_CHANNEL, DEMO_MEETING } from '../../scripts/demo-accounts.ts'
import { createTestDatabase, type TestDatabase } from '#tests/fixtures/database.ts'

const run = promisify(execFile)
let database: TestDatabase

beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(async () => {
  await database?.drop()
})

const seed = () =>
  run(process.execPath, ['scripts/seed.ts'], {
    env: { ...process.env, DATABASE_URL: database.url },
  })

it('creates the demo organization with its logins, meeting and channel once, then changes nothing', async () => {
  const first = await seed()
  for (const account of DEMO_ACCOUNTS) expect(first.stdout).toContain(account.email)
  expect(first.stderr).toMatch(/seed: created/)

  const { db } = database
  const members = await db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select(['user.email', 'member.role', 'user.emailVerified'])
    .execute()
  expect(members.map((m) => `${m.email} ${m.role} ${m.emailVerified}`).sort()).toEqual(
    DEMO_ACCOUNTS.map((a) => `${a.email} ${a.role} true`).sort(),
  )
  const meetings = await db.selectFrom('meeting').select('title').execute()
  expect(meetings).toEqual([{ title: DEMO_MEETING.title }])
  const channel = await db
    .selectFrom('conversation')
    .select(['id', 'kind', 'isPublic'])
    .where('title', '=', DEMO_CHANNEL.title)
    .executeTakeFirstOrThrow()
  expect(channel).toMatchObject({ kind: 'channel', isPublic: true })
  const channelMembers = await db
    .selectFrom('conversationMember')
    .select('userId')
    .where('conversationId', '=', channel.id)
    .execute()
  expect(channelMembers).toHaveLength(DEMO_ACCOUNTS.length)

  const second = await seed()
  expect(second.stderr).toMatch(/nothing changed/)
  const posts = await db
    .selectFrom('message')
    .select(['seq', 'body'])
    .where('conversationId', '=', channel.id)
    .execute()
  expect(posts).toEqual([{ seq: 1, body: DEMO_CHANNEL.welcome }])
})
