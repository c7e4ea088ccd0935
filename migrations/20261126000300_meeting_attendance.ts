import { sql, type Kysely } from 'kysely'

// One row per media session (a socket's media:join … leave/disconnect), with the role it had then:
// reports and analytics read who was there when, including rejoins and several tabs at once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "meetingAttendance" (
      "id" uuid primary key default gen_random_uuid(),
      "meetingId" uuid not null references "meeting" ("id") on delete cascade,
      "userId" text not null references "user" ("id") on delete cascade,
      "peerId" uuid not null unique,
      "role" text not null check ("role" in ('organizer', 'cohost', 'presenter', 'participant', 'guest')),
      "joinedAt" timestamptz not null default now(),
      "leftAt" timestamptz,
      check ("leftAt" is null or "leftAt" >= "joinedAt")
    );
    create index "meetingAttendance_meeting_idx" on "meetingAttendance" ("meetingId");
    create index "meetingAttendance_user_idx" on "meetingAttendance" ("userId");
  `.execute(db)
}
