import type { Database } from '#core/db/client.ts'

export async function writeAudit(options: {
  db: Database
  actorId: string | null
  organizationId: string | null
  action: string
  targetType: string
  targetId: string
  ip?: string | null
  metadata?: Record<string, unknown>
}): Promise<void> {
  await options.db
    .insertInto('auditLog')
    .values({
      actorId: options.actorId,
      organizationId: options.organizationId,
      action: options.action,
      targetType: options.targetType,
      targetId: options.targetId,
      ip: options.ip ?? null,
      metadata: JSON.stringify(options.metadata ?? {}),
    })
    .execute()
}
