import { describe, expect, it } from 'vitest'
import { getTimeSlots, joinDateTime, splitDateTime } from '#app/components/ui/date-time-value.ts'

describe('splitDateTime', () => {
  it('splits datetime-local values, with or without seconds', () => {
    expect(splitDateTime('2028-02-29T09:30')).toEqual({ date: '2028-02-29', time: '09:30' })
    expect(splitDateTime('2028-02-29T09:30:15')).toEqual({ date: '2028-02-29', time: '09:30' })
  })

  it('treats empty or malformed values as nothing picked', () => {
    expect(splitDateTime('')).toEqual({ date: null, time: null })
    expect(splitDateTime('2027-02-29T09:30')).toEqual({ date: null, time: null })
    expect(splitDateTime('tomorrow')).toEqual({ date: null, time: null })
  })

  it('round-trips with joinDateTime', () => {
    expect(joinDateTime('2028-02-29', '09:30')).toBe('2028-02-29T09:30')
  })
})

describe('getTimeSlots', () => {
  it('covers the day in 15-minute steps', () => {
    const slots = getTimeSlots(15)
    expect(slots).toHaveLength(96)
    expect(slots.slice(0, 3)).toEqual(['00:00', '00:15', '00:30'])
    expect(slots.at(-1)).toBe('23:45')
  })
})
