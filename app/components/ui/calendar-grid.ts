/** A calendar day as `YYYY-MM-DD`: no time, no zone; compares and sorts as a string. */
export type DateKey = string
/** A calendar month as `YYYY-MM`. */
export type MonthKey = string
/** 0 = Sunday, 1 = Monday, as in `Date#getUTCDay`. */
export type WeekStart = 0 | 1

export type CalendarDay = {
  key: DateKey
  dayOfMonth: number
  isInMonth: boolean
}

const DAY_MS = 24 * 60 * 60 * 1000
const dateKeyPattern = /^\d{4}-\d{2}-\d{2}$/

// Only English calendars in our supported languages start on Sunday; Russian ones start on Monday.
const sundayFirstLanguages = new Set(['en'])

export function getWeekStart(language: string): WeekStart {
  const base = language.toLowerCase().split('-')[0] ?? ''
  return sundayFirstLanguages.has(base) ? 0 : 1
}

export function isDateKey(value: string): value is DateKey {
  return dateKeyPattern.test(value) && formatDateKey(parseDateKey(value)) === value
}

/** Midnight UTC of the day: plain-date arithmetic in UTC never meets a DST shift. */
export function parseDateKey(key: DateKey): Date {
  const [year = 1970, month = 1, day = 1] = key.split('-').map(Number)
  return new Date(Date.UTC(year, month - 1, day))
}

export function formatDateKey(utcDate: Date): DateKey {
  return utcDate.toISOString().slice(0, 10)
}

export function addDays(key: DateKey, days: number): DateKey {
  return formatDateKey(new Date(parseDateKey(key).getTime() + days * DAY_MS))
}

export function getMonthKey(key: DateKey): MonthKey {
  return key.slice(0, 7)
}

export function addMonths(month: MonthKey, months: number): MonthKey {
  const [year = 1970, monthNumber = 1] = month.split('-').map(Number)
  return formatDateKey(new Date(Date.UTC(year, monthNumber - 1 + months, 1))).slice(0, 7)
}

export function getDaysInMonth(month: MonthKey): number {
  const [year = 1970, monthNumber = 1] = month.split('-').map(Number)
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate()
}

/** Same day of another month, clamped to its length: Jan 31 + 1 month → Feb 29 in 2028. */
export function addMonthsToDay(key: DateKey, months: number): DateKey {
  const month = addMonths(getMonthKey(key), months)
  const day = Math.min(Number(key.slice(8)), getDaysInMonth(month))
  return `${month}-${String(day).padStart(2, '0')}`
}

/** The weeks shown for a month: whole weeks only, padded with days of the neighbouring months. */
export function getMonthGrid(month: MonthKey, weekStart: WeekStart): CalendarDay[][] {
  const first = parseDateKey(`${month}-01`)
  const monthIndex = first.getUTCMonth()
  const leadingDays = (first.getUTCDay() - weekStart + 7) % 7
  const daysInMonth = getDaysInMonth(month)
  const weekCount = Math.ceil((leadingDays + daysInMonth) / 7)
  const gridStart = first.getTime() - leadingDays * DAY_MS

  return Array.from({ length: weekCount }, (_, week) =>
    Array.from({ length: 7 }, (_, weekday) => {
      const date = new Date(gridStart + (week * 7 + weekday) * DAY_MS)
      return {
        key: formatDateKey(date),
        dayOfMonth: date.getUTCDate(),
        isInMonth: date.getUTCMonth() === monthIndex,
      }
    }),
  )
}

const dayFormatters = new Map<string, Intl.DateTimeFormat>()

/** The calendar day an instant falls on in a time zone (a meeting at 23:30 UTC is "tomorrow" in Moscow). */
export function toDateKey(instant: Date, timeZone: string): DateKey {
  let formatter = dayFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormatters.set(timeZone, formatter)
  }
  const parts = formatter.formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}

/** Weekday names in display order, e.g. ["пн", …, "вс"] for Russian. */
export function getWeekdayNames(
  locale: string,
  weekStart: WeekStart,
  width: 'short' | 'long',
): string[] {
  const formatter = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' })
  // 2023-01-01 was a Sunday.
  return Array.from({ length: 7 }, (_, i) =>
    formatter.format(new Date(Date.UTC(2023, 0, 1 + weekStart + i))),
  )
}

/** "February 2028" / "Февраль 2028 г." — capitalized, as Russian month names are lowercase. */
export function formatMonthTitle(month: MonthKey, locale: string): string {
  const title = new Intl.DateTimeFormat(locale, {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(parseDateKey(`${month}-01`))
  return title.charAt(0).toLocaleUpperCase(locale) + title.slice(1)
}
