// Our migrations own the schema; this fails when better-auth (after an upgrade or a config change)
// expects tables or columns they do not create.
import { getMigrations } from 'better-auth/db/migration'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createAuth } from '#server/auth.ts'
import { createTestDatabase, type TestDatabase } from '#tests/fixtures/database.ts'

let database: TestDatabase
beforeAll(async () => {
  database = await createTestDatabase()
})
afterAll(() => database.drop())

it('better-auth finds every table and column it needs', async () => {
  const auth = createAuth({
    db: database.db,
    secret: 'test-secret-test-secret-test-secret-1234',
    baseURL: 'http://localhost:3000',
    trustedOrigins: [],
    queues: { enqueueEmail: async () => {}, close: async () => {} },
  })
  const { toBeCreated, toBeAdded } = await getMigrations(auth.options)
  expect(toBeCreated.map((table) => table.table)).toEqual([])
  expect(
    toBeAdded.map((table) => ({ table: table.table, fields: Object.keys(table.fields) })),
  ).toEqual([])
})
