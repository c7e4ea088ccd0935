// The tests' global setup makes the template database; a benchmark run on its own may need to.
import pg from 'pg'
import { createTemplateDatabase } from '#tests/fixtures/database.ts'

export async function ensureTemplateDatabase(): Promise<void> {
  const url = process.env.DATABASE_URL
  if (!url) throw new Error('DATABASE_URL is not set (see bench/README.md)')
  const admin = new URL(url)
  admin.pathname = '/postgres'
  const client = new pg.Client({ connectionString: admin.toString() })
  await client.connect()
  try {
    const { rowCount } = await client.query(
      `select 1 from pg_database where datname = 'vstrecha_test_template'`,
    )
    if (rowCount === 0) await createTemplateDatabase()
  } finally {
    await client.end()
  }
}
