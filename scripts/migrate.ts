// npm run db:migrate — brings DATABASE_URL's schema to the latest migration.
import { createDatabase } from '#core/db/client.ts'
import { migrateToLatest } from '#core/db/migrate.ts'

const url = process.env.DATABASE_URL ?? 'postgres://vstrecha:vstrecha@127.0.0.1:54329/vstrecha'
const db = createDatabase({ url, maxConnections: 1 })
try {
  const { results = [] } = await migrateToLatest(db)
  for (const result of results) console.log(`migration ${result.migrationName}: ${result.status}`)
  if (results.length === 0) console.log('database schema is up to date')
} catch (error) {
  console.error('migration failed:', error)
  process.exitCode = 1
} finally {
  await db.destroy()
}
