import type { Database } from '#core/db/client.ts'
import type { OrgRole } from '#core/db/types.ts'

export type Membership = {
  memberId: string
  role: OrgRole
  organization: {
    id: string
    name: string
    slug: string
    logo: string | null
    metadata: string | null
  }
}

/** The user's organization (a deployment is usually one organization; the oldest membership wins). */
export async function getMembership(options: {
  db: Database
  userId: string
}): Promise<Membership | null> {
  const row = await options.db
    .selectFrom('member')
    .innerJoin('organization', 'organization.id', 'member.organizationId')
    .select([
      'member.id as memberId',
      'member.role',
      'organization.id',
      'organization.name',
      'organization.slug',
      'organization.logo',
      'organization.metadata',
    ])
    .where('member.userId', '=', options.userId)
    .orderBy('member.createdAt')
    .executeTakeFirst()
  if (!row) return null
  const { memberId, role, ...organization } = row
  return { memberId, role, organization }
}

export async function hasAnyOrganization(options: { db: Database }): Promise<boolean> {
  return Boolean(
    await options.db.selectFrom('organization').select('id').limit(1).executeTakeFirst(),
  )
}

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9а-яё]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return base || 'org'
}

export async function listMembers(options: { db: Database; organizationId: string }) {
  return options.db
    .selectFrom('member')
    .innerJoin('user', 'user.id', 'member.userId')
    .select([
      'member.id',
      'member.role',
      'member.createdAt',
      'user.id as userId',
      'user.name',
      'user.email',
    ])
    .where('member.organizationId', '=', options.organizationId)
    .orderBy('user.name')
    .execute()
}

export async function listPendingInvitations(options: { db: Database; organizationId: string }) {
  return options.db
    .selectFrom('invitation')
    .select(['id', 'email', 'role', 'expiresAt', 'createdAt'])
    .where('organizationId', '=', options.organizationId)
    .where('status', '=', 'pending')
    .where('expiresAt', '>', new Date())
    .orderBy('createdAt', 'desc')
    .execute()
}

export const canManageOrganization = (role: OrgRole) => role === 'owner' || role === 'admin'
