import { ChevronLeft, ChevronRight } from 'lucide-react'
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import {
  addDays,
  addMonths,
  addMonthsToDay,
  formatMonthTitle,
  getMonthGrid,
  getMonthKey,
  getWeekStart,
  getWeekdayNames,
  parseDateKey,
  toDateKey,
  type DateKey,
  type MonthKey,
} from '#app/components/ui/calendar-grid.ts'
import { cn } from '#app/utils/cn.ts'

export type CalendarEvent = { date: Date; title: string }

export type MonthCalendarProps = {
  /** Decides which day is "today" and on which day each event falls. */
  timeZone: string
  events?: CalendarEvent[]
  selected?: DateKey | null
  onSelect?: (day: DateKey) => void
  /** The shown month, when the parent controls it (e.g. from `?month=` in the URL). */
  month?: MonthKey
  onMonthChange?: (month: MonthKey) => void
  className?: string
}

const MAX_DOTS = 3
const noEvents: CalendarEvent[] = []

const keyboardSteps: Record<string, (day: DateKey, weekStartKey: DateKey) => DateKey> = {
  ArrowLeft: (day) => addDays(day, -1),
  ArrowRight: (day) => addDays(day, 1),
  ArrowUp: (day) => addDays(day, -7),
  ArrowDown: (day) => addDays(day, 7),
  Home: (_, weekStartKey) => weekStartKey,
  End: (_, weekStartKey) => addDays(weekStartKey, 6),
  PageUp: (day) => addMonthsToDay(day, -1),
  PageDown: (day) => addMonthsToDay(day, 1),
}

/** A month grid with events as dots; arrow keys move between days (WAI-ARIA date grid). */
export function MonthCalendar({
  timeZone,
  events = noEvents,
  selected,
  onSelect,
  month: monthProp,
  onMonthChange,
  className,
}: MonthCalendarProps) {
  const { t, i18n } = useTranslation('ui')
  const locale = i18n.resolvedLanguage ?? i18n.language
  const weekStart = getWeekStart(locale)
  const today = toDateKey(new Date(), timeZone)
  const titleId = useId()
  const gridRef = useRef<HTMLTableElement>(null)
  const shouldFocusDay = useRef(false)

  const [ownMonth, setOwnMonth] = useState(() => getMonthKey(selected ?? today))
  const month = monthProp ?? ownMonth
  const [focusedDay, setFocusedDay] = useState<DateKey | null>(null)

  const weeks = useMemo(() => getMonthGrid(month, weekStart), [month, weekStart])
  const eventsByDay = useMemo(() => {
    const byDay = new Map<DateKey, string[]>()
    for (const event of events) {
      const key = toDateKey(event.date, timeZone)
      byDay.set(key, [...(byDay.get(key) ?? []), event.title])
    }
    return byDay
  }, [events, timeZone])
  const formats = useMemo(
    () => ({
      weekdaysShort: getWeekdayNames(locale, weekStart, 'short'),
      weekdaysLong: getWeekdayNames(locale, weekStart, 'long'),
      fullDate: new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }),
    }),
    [locale, weekStart],
  )

  // Exactly one day is tabbable: the focused one, else the selected one, today, or the 1st.
  const inMonthKeys = weeks
    .flat()
    .filter((d) => d.isInMonth)
    .map((d) => d.key)
  const tabbableDay =
    [focusedDay, selected, today].find((key) => key && inMonthKeys.includes(key)) ?? `${month}-01`

  useEffect(() => {
    if (!shouldFocusDay.current) return
    shouldFocusDay.current = false
    gridRef.current?.querySelector<HTMLButtonElement>(`[data-day="${tabbableDay}"]`)?.focus()
  }, [tabbableDay])

  function showMonth(next: MonthKey) {
    setOwnMonth(next)
    onMonthChange?.(next)
  }

  function handleKeyDown(event: KeyboardEvent<HTMLButtonElement>, day: DateKey, weekIndex: number) {
    const step = keyboardSteps[event.key]
    const weekStartKey = weeks[weekIndex]?.[0]?.key
    if (!step || !weekStartKey) return
    event.preventDefault()
    const next = step(day, weekStartKey)
    if (next === day) return
    if (getMonthKey(next) !== month) showMonth(getMonthKey(next))
    shouldFocusDay.current = true
    setFocusedDay(next)
  }

  function selectDay(day: DateKey) {
    setFocusedDay(day)
    if (getMonthKey(day) !== month) showMonth(getMonthKey(day))
    onSelect?.(day)
  }

  return (
    <div className={cn('relative grid w-full max-w-80 gap-2', className)}>
      <div className="flex items-center justify-between gap-2">
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label={t('calendar.previousMonth')}
          onClick={() => showMonth(addMonths(month, -1))}
        >
          <ChevronLeft aria-hidden className="rtl:rotate-180" />
        </Button>
        <div id={titleId} className="text-sm font-semibold" aria-live="polite">
          {formatMonthTitle(month, locale)}
        </div>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label={t('calendar.nextMonth')}
          onClick={() => showMonth(addMonths(month, 1))}
        >
          <ChevronRight aria-hidden className="rtl:rotate-180" />
        </Button>
      </div>
      <table ref={gridRef} role="grid" aria-labelledby={titleId} className="w-full table-fixed">
        <thead>
          <tr>
            {formats.weekdaysShort.map((name, i) => (
              <th key={name} scope="col" className="pb-1 text-xs font-normal text-muted-foreground">
                <span aria-hidden>{name}</span>
                <span className="sr-only">{formats.weekdaysLong[i]}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, weekIndex) => (
            <tr key={week[0]?.key}>
              {week.map((day) => {
                const dayEvents = eventsByDay.get(day.key) ?? []
                const isSelected = day.key === selected
                const isToday = day.key === today
                const label = formats.fullDate.format(parseDateKey(day.key))
                return (
                  <td key={day.key} aria-selected={isSelected} className="p-0.5 text-center">
                    <button
                      type="button"
                      data-day={day.key}
                      tabIndex={day.key === tabbableDay ? 0 : -1}
                      aria-label={
                        dayEvents.length > 0
                          ? t('calendar.dayWithEvents', { date: label, total: dayEvents.length })
                          : label
                      }
                      aria-current={isToday ? 'date' : undefined}
                      onClick={() => selectDay(day.key)}
                      onKeyDown={(event) => handleKeyDown(event, day.key, weekIndex)}
                      className={cn(
                        'relative mx-auto flex size-9 cursor-pointer flex-col items-center justify-center rounded-md text-sm tabular-nums transition-colors hover:bg-accent sm:size-10',
                        !day.isInMonth && 'text-muted-foreground',
                        isToday &&
                          !isSelected &&
                          'font-semibold text-primary ring-1 ring-primary/50',
                        isSelected &&
                          'bg-primary font-semibold text-primary-foreground hover:bg-primary/90',
                      )}
                    >
                      {day.dayOfMonth}
                      {dayEvents.length > 0 ? (
                        <span className="absolute bottom-1 flex gap-0.5" aria-hidden>
                          {dayEvents.slice(0, MAX_DOTS).map((title, i) => (
                            <span
                              key={`${title}-${i}`}
                              className={cn(
                                'size-1 rounded-full',
                                isSelected ? 'bg-primary-foreground' : 'bg-primary',
                              )}
                            />
                          ))}
                        </span>
                      ) : null}
                    </button>
                  </td>
                )
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
