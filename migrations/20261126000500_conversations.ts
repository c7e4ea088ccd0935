import { sql, type Kysely } from 'kysely'

// Conversations and their messages: a meeting's chat now, the messenger's direct/group/channel
// chats later (same tables). Each conversation numbers its messages 1, 2, 3… (lastSeq is bumped in
// the inserting transaction), so clients page and catch up by seq; a sender's idempotency key is
// unique per conversation, so a retried send can never store a second copy.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "conversation" (
      "id" uuid primary key default gen_random_uuid(),
      "organizationId" text not null references "organization" ("id") on delete cascade,
      "kind" text not null check ("kind" in ('meeting', 'direct', 'group', 'channel')),
      "meetingId" uuid unique references "meeting" ("id") on delete cascade,
      "title" text check (length("title") between 1 and 200),
      "lastSeq" bigint not null default 0 check ("lastSeq" >= 0),
      "createdAt" timestamptz not null default now(),
      "updatedAt" timestamptz not null default now(),
      check (("kind" = 'meeting') = ("meetingId" is not null))
    );
    create index "conversation_org_idx" on "conversation" ("organizationId", "updatedAt" desc);

    create table "conversationMember" (
      "conversationId" uuid not null references "conversation" ("id") on delete cascade,
      "userId" text not null references "user" ("id") on delete cascade,
      "role" text not null default 'member' check ("role" in ('admin', 'member')),
      "lastReadSeq" bigint not null default 0 check ("lastReadSeq" >= 0),
      "joinedAt" timestamptz not null default now(),
      primary key ("conversationId", "userId")
    );
    create index "conversationMember_user_idx" on "conversationMember" ("userId");

    create table "message" (
      "id" uuid primary key default gen_random_uuid(),
      "conversationId" uuid not null references "conversation" ("id") on delete cascade,
      "seq" bigint not null check ("seq" > 0),
      "senderId" text not null references "user" ("id"),
      "body" text not null check (length("body") between 1 and 4000),
      "idempotencyKey" text not null check (length("idempotencyKey") between 1 and 64),
      "createdAt" timestamptz not null default now(),
      "editedAt" timestamptz,
      "deletedAt" timestamptz,
      unique ("conversationId", "seq"),
      unique ("conversationId", "senderId", "idempotencyKey")
    );
  `.execute(db)
}
