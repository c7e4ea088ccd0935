// Waits until PostgreSQL or Redis answers (up to 30 s). `postgres URL --create NAME` also creates
// database NAME when it is missing. Used by the provisioning scripts.
import { Redis } from 'ioredis'
import pg from 'pg'

const [kind, url, flag, dbName] = process.argv.slice(2)
const deadline = Date.now() + 30_000

async function tryOnce(): Promise<void> {
  if (kind === 'redis') {
    const redis = new Redis(url!, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    })
    try {
      await redis.connect()
      await redis.ping()
    } finally {
      redis.disconnect()
    }
    return
  }
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    if (flag === '--create' && dbName) {
      const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [
        dbName,
      ])
      if (!rowCount) await client.query(`create database "${dbName.replaceAll('"', '')}"`)
    }
  } finally {
    await client.end()
  }
}

for (;;) {
  try {
    await tryOnce()
    process.exit(0)
  } catch (error) {
    if (Date.now() > deadline) {
      console.error(
        `${kind} at ${url?.replace(/\/\/[^@]*@/, '//***@')} does not answer: ${String(error)}`,
      )
      process.exit(1)
    }
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}
