import { sql, type Kysely } from 'kysely'

// Tables better-auth (1.7) reads and writes with its organization, magic-link and anonymous
// plugins, plus our `locale` (the language of the user's emails). Column names are better-auth's own; tests/integration/auth-schema.test.ts fails when
// better-auth would want a different schema.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table "user" (
      "id" text primary key,
      "name" text not null,
      "email" text not null unique,
      "emailVerified" boolean not null,
      "image" text,
      "isAnonymous" boolean,
      "locale" text not null default 'en' check ("locale" in ('ru', 'en')),
      "createdAt" timestamptz not null default current_timestamp,
      "updatedAt" timestamptz not null default current_timestamp
    );
    create table "session" (
      "id" text primary key,
      "expiresAt" timestamptz not null,
      "token" text not null unique,
      "ipAddress" text,
      "userAgent" text,
      "userId" text not null references "user" ("id") on delete cascade,
      "activeOrganizationId" text,
      "createdAt" timestamptz not null default current_timestamp,
      "updatedAt" timestamptz not null
    );
    create index "session_userId_idx" on "session" ("userId");
    create table "account" (
      "id" text primary key,
      "accountId" text not null,
      "providerId" text not null,
      "userId" text not null references "user" ("id") on delete cascade,
      "accessToken" text,
      "refreshToken" text,
      "idToken" text,
      "accessTokenExpiresAt" timestamptz,
      "refreshTokenExpiresAt" timestamptz,
      "scope" text,
      "password" text,
      "createdAt" timestamptz not null default current_timestamp,
      "updatedAt" timestamptz not null
    );
    create index "account_userId_idx" on "account" ("userId");
    create table "verification" (
      "id" text primary key,
      "identifier" text not null,
      "value" text not null,
      "expiresAt" timestamptz not null,
      "createdAt" timestamptz not null default current_timestamp,
      "updatedAt" timestamptz not null default current_timestamp
    );
    create index "verification_identifier_idx" on "verification" ("identifier");
    create table "organization" (
      "id" text primary key,
      "name" text not null,
      "slug" text not null unique,
      "logo" text,
      "metadata" text,
      "createdAt" timestamptz not null
    );
    create table "member" (
      "id" text primary key,
      "organizationId" text not null references "organization" ("id") on delete cascade,
      "userId" text not null references "user" ("id") on delete cascade,
      "role" text not null,
      "createdAt" timestamptz not null,
      unique ("organizationId", "userId")
    );
    create index "member_userId_idx" on "member" ("userId");
    create table "invitation" (
      "id" text primary key,
      "organizationId" text not null references "organization" ("id") on delete cascade,
      "email" text not null,
      "role" text,
      "status" text not null,
      "expiresAt" timestamptz not null,
      "inviterId" text not null references "user" ("id") on delete cascade,
      "createdAt" timestamptz not null default current_timestamp
    );
    create index "invitation_organizationId_idx" on "invitation" ("organizationId");
    create index "invitation_email_idx" on "invitation" ("email");
  `.execute(db)
}
