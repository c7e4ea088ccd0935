import { describe, expect, it } from 'vitest'
import type { MediaNodeRecord } from '#core/media-registry.ts'
import { nodeLoad, pickLeastLoaded } from './placement.ts'

const node = (id: string, overrides: Partial<MediaNodeRecord> = {}): MediaNodeRecord => ({
  id,
  region: 'local',
  httpUrl: `http://127.0.0.1/${id}`,
  workers: 2,
  workersAlive: 2,
  rooms: 0,
  routers: 0,
  transports: 0,
  producers: 0,
  consumers: 0,
  cpuLoad: 0,
  startedAt: 0,
  updatedAt: 0,
  ...overrides,
})

describe('pickLeastLoaded', () => {
  it('prefers the node with less worker CPU', () => {
    expect(pickLeastLoaded([node('a', { cpuLoad: 0.6 }), node('b', { cpuLoad: 0.2 })])?.id).toBe(
      'b',
    )
  })

  it('counts rooms per live worker, so fresh placements spread before CPU shows them', () => {
    const busy = node('a', { rooms: 40, workersAlive: 1 })
    const idle = node('b', { rooms: 40, workersAlive: 4 })
    expect(nodeLoad(busy)).toBeGreaterThan(nodeLoad(idle))
    expect(pickLeastLoaded([busy, idle])?.id).toBe('b')
  })

  it('breaks ties by id (every web instance picks the same) and has nothing to pick from none', () => {
    expect(pickLeastLoaded([node('b'), node('a')])?.id).toBe('a')
    expect(pickLeastLoaded([])).toBeUndefined()
  })
})
