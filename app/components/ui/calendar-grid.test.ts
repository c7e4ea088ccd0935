import { describe, expect, it } from 'vitest'
import {
  addDays,
  addMonths,
  addMonthsToDay,
  formatMonthTitle,
  getDaysInMonth,
  getMonthGrid,
  getWeekStart,
  getWeekdayNames,
  isDateKey,
  toDateKey,
} from '#app/components/ui/calendar-grid.ts'

function inMonthDays(month: string, weekStart: 0 | 1) {
  return getMonthGrid(month, weekStart)
    .flat()
    .filter((day) => day.isInMonth)
}

describe('getWeekStart', () => {
  it('starts Russian weeks on Monday and English weeks on Sunday', () => {
    expect(getWeekStart('ru')).toBe(1)
    expect(getWeekStart('ru-RU')).toBe(1)
    expect(getWeekStart('en')).toBe(0)
    expect(getWeekStart('en-US')).toBe(0)
  })
})

describe('getMonthGrid', () => {
  it('lays out February 2028 (leap year) from Monday', () => {
    const weeks = getMonthGrid('2028-02', 1)
    expect(weeks).toHaveLength(5)
    expect(weeks.every((week) => week.length === 7)).toBe(true)
    // 1 Feb 2028 is a Tuesday, so the grid opens on Monday 31 January.
    expect(weeks[0]?.[0]).toEqual({ key: '2028-01-31', dayOfMonth: 31, isInMonth: false })
    expect(weeks[0]?.[1]).toEqual({ key: '2028-02-01', dayOfMonth: 1, isInMonth: true })
    expect(weeks[4]?.[1]).toEqual({ key: '2028-02-29', dayOfMonth: 29, isInMonth: true })
    expect(weeks[4]?.[6]).toEqual({ key: '2028-03-05', dayOfMonth: 5, isInMonth: false })
    expect(inMonthDays('2028-02', 1)).toHaveLength(29)
  })

  it('lays out February 2028 from Sunday', () => {
    const weeks = getMonthGrid('2028-02', 0)
    expect(weeks[0]?.[0]?.key).toBe('2028-01-30')
    expect(weeks[0]?.[2]?.key).toBe('2028-02-01')
    expect(weeks.at(-1)?.at(-1)?.key).toBe('2028-03-04')
  })

  it('uses only the weeks the month needs', () => {
    // February 2026 starts on Sunday and has 28 days: exactly four Sunday-first weeks.
    expect(getMonthGrid('2026-02', 0)).toHaveLength(4)
    expect(getMonthGrid('2026-02', 1)).toHaveLength(5)
    // March 2026 starts on Sunday with 31 days: six Monday-first weeks.
    expect(getMonthGrid('2026-03', 1)).toHaveLength(6)
  })

  it('has consecutive days across year boundaries', () => {
    const days = getMonthGrid('2027-12', 1).flat()
    for (let i = 1; i < days.length; i++) {
      expect(days[i]?.key).toBe(addDays(days[i - 1]?.key ?? '', 1))
    }
    expect(days.at(-1)?.key).toBe('2028-01-02')
    expect(inMonthDays('2027-12', 1)).toHaveLength(31)
  })

  it('always puts the week start in the first column', () => {
    for (const month of ['2028-01', '2028-06', '2029-09']) {
      const firstMonday = getMonthGrid(month, 1)[0]?.[0]?.key ?? ''
      const firstSunday = getMonthGrid(month, 0)[0]?.[0]?.key ?? ''
      expect(new Date(`${firstMonday}T00:00:00Z`).getUTCDay()).toBe(1)
      expect(new Date(`${firstSunday}T00:00:00Z`).getUTCDay()).toBe(0)
    }
  })
})

describe('month and day arithmetic', () => {
  it('knows month lengths', () => {
    expect(getDaysInMonth('2028-02')).toBe(29)
    expect(getDaysInMonth('2027-02')).toBe(28)
    expect(getDaysInMonth('2100-02')).toBe(28)
    expect(getDaysInMonth('2028-04')).toBe(30)
  })

  it('moves between months and years', () => {
    expect(addMonths('2028-01', -1)).toBe('2027-12')
    expect(addMonths('2028-12', 1)).toBe('2029-01')
    expect(addMonthsToDay('2028-01-31', 1)).toBe('2028-02-29')
    expect(addMonthsToDay('2028-03-31', -1)).toBe('2028-02-29')
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
  })

  it('validates date keys', () => {
    expect(isDateKey('2028-02-29')).toBe(true)
    expect(isDateKey('2027-02-29')).toBe(false)
    expect(isDateKey('2028-2-9')).toBe(false)
  })
})

describe('toDateKey', () => {
  it('puts an instant on the day it is in the given time zone', () => {
    const instant = new Date('2028-02-29T22:30:00Z')
    expect(toDateKey(instant, 'UTC')).toBe('2028-02-29')
    expect(toDateKey(instant, 'Europe/Moscow')).toBe('2028-03-01')
    expect(toDateKey(instant, 'America/New_York')).toBe('2028-02-29')
  })
})

describe('names', () => {
  it('orders weekday names by the week start', () => {
    expect(getWeekdayNames('ru', 1, 'short')).toEqual(['пн', 'вт', 'ср', 'чт', 'пт', 'сб', 'вс'])
    expect(getWeekdayNames('en', 0, 'short')[0]).toBe('Sun')
  })

  it('capitalizes month titles', () => {
    expect(formatMonthTitle('2028-02', 'en')).toBe('February 2028')
    expect(formatMonthTitle('2028-02', 'ru')).toMatch(/^Февраль 2028/)
  })
})
