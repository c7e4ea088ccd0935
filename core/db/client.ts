import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './types.ts'

// timestamptz → Date (pg default); bigint (count(*), bigserial) → number, safe for our ranges.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export type Database = Kysely<DB>

export function createDatabase(options: { url: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 })
  // A connection dropped by the server (PostgreSQL restarted) is an 'error' event: on the pool for
  // an idle one, on the client itself for one checked out (a transaction in progress). Unhandled,
  // either would crash the process. The pool discards that connection and opens a new one when
  // needed; queries in flight fail on their own and their callers retry.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
}
