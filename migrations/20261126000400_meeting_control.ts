import { sql, type Kysely } from 'kysely'

// Meeting control (issue 4): settings moderators change live, and per-participant state the server
// enforces — a raised hand (its time orders the queue) and a moderator's mute, which only an allowed
// role or setting lets the person lift (core/permissions.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "meeting"
      add column "isLocked" boolean not null default false,
      add column "screenSharePolicy" text not null default 'everyone'
        check ("screenSharePolicy" in ('everyone', 'presenters')),
      add column "allowSelfUnmute" boolean not null default true,
      add column "isChatEnabled" boolean not null default true;

    alter table "meetingParticipant"
      add column "handRaisedAt" timestamptz,
      add column "isForceMuted" boolean not null default false;
  `.execute(db)
}
