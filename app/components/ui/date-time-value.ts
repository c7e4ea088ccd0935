import { isDateKey, type DateKey } from '#app/components/ui/calendar-grid.ts'

/** Time a freshly picked day gets before the user chooses one. */
export const DEFAULT_TIME = '09:00'

const dateTimePattern = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/

/** Splits a `datetime-local` value ("2028-02-29T09:30", seconds allowed) into its day and HH:MM. */
export function splitDateTime(value: string): { date: DateKey | null; time: string | null } {
  const [, date = '', time = ''] = dateTimePattern.exec(value) ?? []
  return isDateKey(date) ? { date, time } : { date: null, time: null }
}

export function joinDateTime(date: DateKey, time: string): string {
  return `${date}T${time}`
}

/** "00:00", "00:15", … "23:45" for a 15-minute step. */
export function getTimeSlots(stepMinutes: number): string[] {
  const pad = (n: number) => String(n).padStart(2, '0')
  return Array.from({ length: Math.ceil((24 * 60) / stepMinutes) }, (_, i) => {
    const minutes = i * stepMinutes
    return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`
  })
}
