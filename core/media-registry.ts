// The Redis registry of media-nodes: each node writes one hash and refreshes it with a heartbeat;
// web instances read it to place rooms. Shared here because both processes depend on the format.
import { z } from 'zod'
import type { Redis } from './redis.ts'

export const MEDIA_NODE_HEARTBEAT_MS = 5_000
/** Three missed heartbeats and the record expires, so a crashed node drops out on its own. */
export const MEDIA_NODE_TTL_MS = 15_000

export const mediaNodeKey = (prefix: string, id: string) => `${prefix}media:node:${id}`
export const mediaNodesSetKey = (prefix: string) => `${prefix}media:nodes`

const count = z.coerce.number().int().min(0)

/** One node's hash. Redis stores strings, so numbers are coerced on read. */
export const MediaNodeRecordSchema = z.object({
  id: z.string().min(1),
  region: z.string().min(1),
  /** Where web instances reach the node's HTTP endpoints (health, metrics, later the RPC). */
  httpUrl: z.url(),
  workers: count,
  workersAlive: count,
  rooms: count,
  routers: count,
  transports: count,
  producers: count,
  consumers: count,
  /**
   * Mean CPU use of the node's mediasoup workers over the last heartbeat, as a fraction of one core
   * each (0..1): delta of ru_utime+ru_stime from worker.getResourceUsage() / wall time.
   */
  cpuLoad: z.coerce.number().min(0),
  startedAt: z.coerce.number().int(),
  updatedAt: z.coerce.number().int(),
})
export type MediaNodeRecord = z.infer<typeof MediaNodeRecordSchema>

export function toMediaNodeHash(record: MediaNodeRecord): Record<string, string> {
  const parsed = MediaNodeRecordSchema.parse(record)
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]))
}

/**
 * Nodes whose record is fresh and that have at least one live worker, sorted by id.
 * Ids left in the set by expired records are removed; a live node re-adds its id every heartbeat,
 * so a removal racing with a heartbeat heals within one interval.
 */
export async function listMediaNodes(
  redis: Redis,
  prefix: string,
  now: number = Date.now(),
): Promise<MediaNodeRecord[]> {
  const ids = await redis.smembers(mediaNodesSetKey(prefix))
  if (ids.length === 0) return []
  const pipeline = redis.pipeline()
  for (const id of ids) pipeline.hgetall(mediaNodeKey(prefix, id))
  const replies = (await pipeline.exec()) ?? []

  const nodes: MediaNodeRecord[] = []
  const expired: string[] = []
  replies.forEach(([error, hash], index) => {
    const id = ids[index]!
    if (error) throw error
    if (!hash || Object.keys(hash).length === 0) {
      expired.push(id)
      return
    }
    const parsed = MediaNodeRecordSchema.safeParse(hash)
    // A record we cannot read (other version, corruption) is skipped, never used for placement.
    if (!parsed.success) return
    const node = parsed.data
    if (node.workersAlive > 0 && now - node.updatedAt <= MEDIA_NODE_TTL_MS) nodes.push(node)
  })
  if (expired.length > 0) await redis.srem(mediaNodesSetKey(prefix), ...expired)
  return nodes.sort((a, b) => a.id.localeCompare(b.id))
}
