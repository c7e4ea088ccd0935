import { type CompiledQuery, Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { DB } from './types.ts'

// timestamptz → Date (pg default); bigint (count(*), bigserial) → number, safe for our ranges.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export type Database = Kysely<DB>

const pools = new WeakMap<Database, pg.Pool>()

export function createDatabase(options: { url: string; maxConnections?: number }): Database {
  const pool = new pg.Pool({ connectionString: options.url, max: options.maxConnections ?? 10 })
  // A connection dropped by the server (PostgreSQL restarted) is an 'error' event: on the pool for
  // an idle one, on the client itself for one checked out (a transaction in progress). Unhandled,
  // either would crash the process. The pool discards that connection and opens a new one when
  // needed; queries in flight fail on their own and their callers retry.
  pool.on('error', () => {})
  pool.on('connect', (client) => client.on('error', () => {}))
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
  pools.set(db, pool)
  return db
}

/**
 * Runs a hot statement as a named prepared statement: each connection parses and plans it once
 * (PostgreSQL then keeps a generic plan) instead of on every call — for a message post, planning
 * cost as much as executing. `name` must always go with the same SQL text.
 */
export async function executePrepared<Row>(
  db: Database,
  name: string,
  query: CompiledQuery<Row>,
): Promise<Row[]> {
  const pool = pools.get(db)
  if (!pool) throw new Error('executePrepared needs a Database made by createDatabase')
  const result = await pool.query<Row & pg.QueryResultRow>({
    name,
    text: query.sql,
    values: query.parameters as unknown[],
  })
  return result.rows
}
