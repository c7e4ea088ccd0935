import { describe, expect, it } from 'vitest'
import { utcToZonedLocal, zonedLocalToUtc } from './time.ts'

describe('zonedLocalToUtc', () => {
  it('converts Moscow wall time (UTC+3, no DST)', () => {
    expect(zonedLocalToUtc('2026-12-01T10:00', 'Europe/Moscow').toISOString()).toBe(
      '2026-12-01T07:00:00.000Z',
    )
  })
  it('honours daylight saving on both sides of the switch', () => {
    expect(zonedLocalToUtc('2027-03-27T12:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-03-27T11:00:00.000Z',
    )
    expect(zonedLocalToUtc('2027-03-29T12:00', 'Europe/Berlin').toISOString()).toBe(
      '2027-03-29T10:00:00.000Z',
    )
  })
  it('resolves a wall time skipped by DST to a real instant', () => {
    const instant = zonedLocalToUtc('2027-03-28T02:30', 'Europe/Berlin')
    expect(utcToZonedLocal(instant, 'Europe/Berlin')).toBe('2027-03-28T03:30')
  })
  it('rejects malformed input', () => {
    expect(() => zonedLocalToUtc('tomorrow', 'UTC')).toThrow(RangeError)
  })
  it('round-trips through utcToZonedLocal', () => {
    for (const zone of ['UTC', 'Asia/Vladivostok', 'America/New_York', 'Asia/Kolkata']) {
      expect(utcToZonedLocal(zonedLocalToUtc('2026-07-15T09:45', zone), zone)).toBe(
        '2026-07-15T09:45',
      )
    }
  })
})
