import { sql, type Kysely } from 'kysely'

// The messenger on top of the conversation tables (20261126000500): channel/group details, one
// direct chat per pair of people, replies, forwards, mentions, pins, reactions, attachments, and
// full-text search over both the Russian and the English configuration (people write in both, often
// in one message). A deleted message keeps its row and seq (history stays gap-free) but loses its
// body.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table "conversation"
      add column "description" text not null default '' check (length("description") <= 1000),
      add column "isPublic" boolean not null default false,
      add column "createdById" text references "user" ("id") on delete set null,
      -- 'userA:userB' (sorted ids) for direct chats: one per pair within an organization.
      add column "directKey" text,
      add constraint "conversation_direct_key" check (("kind" = 'direct') = ("directKey" is not null)),
      add constraint "conversation_public_channel" check (not "isPublic" or "kind" = 'channel'),
      add constraint "conversation_title_required"
        check ("kind" not in ('group', 'channel') or "title" is not null);
    create unique index "conversation_direct_idx" on "conversation" ("organizationId", "directKey")
      where "directKey" is not null;
    create index "conversation_public_idx" on "conversation" ("organizationId")
      where "isPublic";

    alter table "message" drop constraint "message_body_check";
    alter table "message"
      add constraint "message_body_length" check (
        length("body") <= 4000 and (length("body") >= 1 or "deletedAt" is not null)
      ),
      add column "replyToId" uuid references "message" ("id") on delete set null,
      add column "forwardedFromId" uuid references "message" ("id") on delete set null,
      add column "forwardedConversationTitle" text,
      add column "forwardedSenderName" text,
      add column "forwardedCreatedAt" timestamptz,
      add column "mentions" text[] not null default '{}',
      add column "pinnedAt" timestamptz,
      add column "pinnedById" text references "user" ("id") on delete set null,
      add column "searchVector" tsvector generated always as (
        to_tsvector('russian', "body") || to_tsvector('english', "body")
      ) stored;
    create index "message_search_idx" on "message" using gin ("searchVector");
    create index "message_pinned_idx" on "message" ("conversationId", "pinnedAt")
      where "pinnedAt" is not null;
    create index "message_mentions_idx" on "message" using gin ("mentions");

    create table "messageReaction" (
      "messageId" uuid not null references "message" ("id") on delete cascade,
      "userId" text not null references "user" ("id") on delete cascade,
      "emoji" text not null check (length("emoji") between 1 and 32),
      "createdAt" timestamptz not null default now(),
      primary key ("messageId", "emoji", "userId")
    );

    create table "attachment" (
      "id" uuid primary key default gen_random_uuid(),
      "organizationId" text references "organization" ("id") on delete cascade,
      "uploaderId" text not null references "user" ("id") on delete cascade,
      "name" text not null check (length("name") between 1 and 255),
      "size" bigint not null check ("size" >= 0),
      "mime" text not null,
      "isImage" boolean not null default false,
      "isInline" boolean not null default false,
      "width" integer,
      "height" integer,
      "storageKey" text not null unique,
      "thumbnailKey" text,
      "createdAt" timestamptz not null default now()
    );
    create index "attachment_uploader_idx" on "attachment" ("uploaderId", "createdAt");

    create table "messageAttachment" (
      "messageId" uuid not null references "message" ("id") on delete cascade,
      "attachmentId" uuid not null references "attachment" ("id") on delete cascade,
      "position" smallint not null default 0,
      primary key ("messageId", "attachmentId")
    );
    create index "messageAttachment_attachment_idx" on "messageAttachment" ("attachmentId");
  `.execute(db)
}
