import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './types.ts'

// timestamptz → Date (pg default); bigint (count(*), bigserial) → number, safe for our ranges.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export type Database = Kysely<DB>

export function createDatabase(options: { url: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 })
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
}
