import { sql, type Kysely } from 'kysely'

// Each employee's privacy/cookie choices (core/privacy.ts). '{}' means "all defaults", so existing
// and newly signed-up users (better-auth does not know this column) need no backfill.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "user" add column "privacy" jsonb not null default '{}' check (jsonb_typeof("privacy") = 'object');
  `.execute(db)
}
