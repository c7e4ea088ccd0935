import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createThrottle } from './events.ts'

describe('createThrottle', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('sends the first value at once and only the latest of a burst after the interval, per key', () => {
    const sent: Array<[string, number]> = []
    const throttle = createThrottle<number>(250, (key, value) => sent.push([key, value]))
    throttle.push('room-a', 1)
    throttle.push('room-a', 2)
    throttle.push('room-a', 3)
    throttle.push('room-b', 10)
    expect(sent).toEqual([
      ['room-a', 1],
      ['room-b', 10],
    ])
    vi.advanceTimersByTime(250)
    expect(sent).toEqual([
      ['room-a', 1],
      ['room-b', 10],
      ['room-a', 3],
    ])
    vi.advanceTimersByTime(250) // nothing pending: the slot closes
    throttle.push('room-a', 4)
    expect(sent.at(-1)).toEqual(['room-a', 4])
    throttle.clear()
  })
})
