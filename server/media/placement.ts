// Which media-node hosts a meeting's room. The choice lives in Redis (`media:room:<meetingId>` →
// node id) so every web instance sends a room's peers to the same node; it holds while that node
// is in the registry, and a room whose node dropped out moves to the least loaded live node.
import { listMediaNodes, type MediaNodeRecord } from '#core/media-registry.ts'
import { AppError } from '#core/errors.ts'
import type { Redis } from '#core/redis.ts'

/** Refreshed at every join; a room nobody joins for this long forgets its node. */
export const ROOM_PLACEMENT_TTL_MS = 12 * 60 * 60 * 1000
/** Roughly how many rooms a worker hosts before it counts as fully loaded (placement weight only). */
const ROOMS_PER_WORKER = 50

export const roomPlacementKey = (prefix: string, meetingId: string) =>
  `${prefix}media:room:${meetingId}`

// Replace the recorded node only if it is still the one we saw gone, so two web instances that
// both notice a dead node agree on one replacement.
const REPLACE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return ARGV[2]
end
return current
`

/**
 * Load from the node's last heartbeat: worker CPU (0..1 per worker) plus rooms per live worker.
 * Rooms count because CPU lags: rooms placed since the last heartbeat show no CPU yet.
 */
export function nodeLoad(node: MediaNodeRecord): number {
  return node.cpuLoad + node.rooms / (node.workersAlive * ROOMS_PER_WORKER)
}

export function pickLeastLoaded(nodes: MediaNodeRecord[]): MediaNodeRecord | undefined {
  return [...nodes].sort((a, b) => nodeLoad(a) - nodeLoad(b) || a.id.localeCompare(b.id))[0]
}

export class NoMediaNodeError extends AppError {
  constructor() {
    super('INTERNAL', 'No media server is available right now; try again in a minute')
  }
}

/** The node for this meeting's room: the recorded one while it is alive, else a new choice. */
export async function placeRoom(options: {
  redis: Redis
  prefix: string
  meetingId: string
}): Promise<MediaNodeRecord> {
  const { redis, meetingId } = options
  const key = roomPlacementKey(options.prefix, meetingId)
  // Two rounds cover "another instance chose a node our listing did not have yet"; a third would
  // need a node to appear and vanish in between, which a retry of the join handles.
  for (let round = 0; round < 2; round += 1) {
    const nodes = await listMediaNodes(redis, options.prefix)
    const byId = new Map(nodes.map((node) => [node.id, node]))
    const recorded = await redis.get(key)
    const recordedNode = recorded ? byId.get(recorded) : undefined
    if (recordedNode) {
      await redis.pexpire(key, ROOM_PLACEMENT_TTL_MS)
      return recordedNode
    }
    const choice = pickLeastLoaded(nodes)
    if (!choice) throw new NoMediaNodeError()
    const winner = recorded
      ? ((await redis.eval(
          REPLACE_SCRIPT,
          1,
          key,
          recorded,
          choice.id,
          String(ROOM_PLACEMENT_TTL_MS),
        )) as string)
      : (await redis.set(key, choice.id, 'PX', ROOM_PLACEMENT_TTL_MS, 'NX')) === 'OK'
        ? choice.id
        : await redis.get(key)
    const winnerNode = winner ? byId.get(winner) : undefined
    if (winnerNode) return winnerNode
  }
  throw new NoMediaNodeError()
}

/** Forgets the room's node (the meeting ended and the room was closed). */
export async function forgetRoomPlacement(options: {
  redis: Redis
  prefix: string
  meetingId: string
}): Promise<void> {
  await options.redis.del(roomPlacementKey(options.prefix, options.meetingId))
}
