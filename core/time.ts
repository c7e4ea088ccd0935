// Wall-clock time in an IANA zone ↔ UTC instants, with Intl only (no timezone database of our own).

function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  )
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000
}

/**
 * "2027-03-28T02:30" in "Europe/Berlin" → the UTC instant. A wall time that does not exist (skipped
 * by a DST jump) moves forward by the jump, as calendars do (02:30 → 03:30).
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local)
  if (!match) throw new RangeError(`invalid local date-time: ${local}`)
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number]
  const guess = Date.UTC(y, mo - 1, d, h, mi)
  const firstOffset = zoneOffsetMs(new Date(guess), timeZone)
  const candidate = guess - firstOffset
  const secondOffset = zoneOffsetMs(new Date(candidate), timeZone)
  return new Date(
    firstOffset === secondOffset ? candidate : guess - Math.min(firstOffset, secondOffset),
  )
}

/** The UTC instant as "YYYY-MM-DDTHH:MM" wall time in `timeZone` (for datetime-local inputs). */
export function utcToZonedLocal(instant: Date, timeZone: string): string {
  const shifted = new Date(instant.getTime() + zoneOffsetMs(instant, timeZone))
  return shifted.toISOString().slice(0, 16)
}
