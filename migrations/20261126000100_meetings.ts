import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "meeting" (
      "id" uuid primary key default gen_random_uuid(),
      "inviteCode" text not null unique check (length("inviteCode") >= 22),
      "title" text not null check (length("title") between 1 and 200),
      "organizationId" text not null references "organization" ("id") on delete cascade,
      "organizerId" text not null references "user" ("id"),
      "kind" text not null default 'meeting' check ("kind" in ('meeting', 'webinar')),
      "isInstant" boolean not null default false,
      "scheduledStart" timestamptz,
      "scheduledEnd" timestamptz,
      "timeZone" text,
      "access" text not null default 'closed' check ("access" in ('closed', 'open')),
      "lobbyEnabled" boolean not null default false,
      "status" text not null default 'scheduled' check ("status" in ('scheduled', 'live', 'ended', 'cancelled')),
      "startedAt" timestamptz,
      "endedAt" timestamptz,
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now(),
      check ("isInstant" or ("scheduledStart" is not null and "scheduledEnd" > "scheduledStart" and "timeZone" is not null))
    );
    create index "meeting_org_start_idx" on "meeting" ("organizationId", "scheduledStart");
    create index "meeting_organizer_idx" on "meeting" ("organizerId");

    create table "meetingParticipant" (
      "id" uuid primary key default gen_random_uuid(),
      "meetingId" uuid not null references "meeting" ("id") on delete cascade,
      "userId" text not null references "user" ("id") on delete cascade,
      "displayName" text not null check (length("displayName") between 1 and 80),
      "role" text not null check ("role" in ('organizer', 'cohost', 'presenter', 'participant', 'guest')),
      "status" text not null check ("status" in ('invited', 'lobby', 'admitted', 'denied', 'removed')),
      "joinedAt" timestamptz,
      "leftAt" timestamptz,
      "createdAt" timestamptz not null default now(),
      unique ("meetingId", "userId")
    );
    create index "meetingParticipant_user_idx" on "meetingParticipant" ("userId");

    create table "auditLog" (
      "id" bigserial primary key,
      "actorId" text references "user" ("id") on delete set null,
      "organizationId" text references "organization" ("id") on delete cascade,
      "action" text not null,
      "targetType" text not null,
      "targetId" text not null,
      "metadata" jsonb not null default '{}',
      "ip" text,
      "createdAt" timestamptz not null default now()
    );
    create index "auditLog_org_time_idx" on "auditLog" ("organizationId", "createdAt" desc);
  `.execute(db)
}
