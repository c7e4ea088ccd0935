import { CalendarDays } from 'lucide-react'
import { useEffect, useId, useMemo, useState, type InputHTMLAttributes } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { MonthCalendar, type CalendarEvent } from '#app/components/ui/calendar.tsx'
import { toDateKey } from '#app/components/ui/calendar-grid.ts'
import {
  DEFAULT_TIME,
  getTimeSlots,
  joinDateTime,
  splitDateTime,
} from '#app/components/ui/date-time-value.ts'
import { Input } from '#app/components/ui/input.tsx'
import { Label } from '#app/components/ui/label.tsx'
import {
  Popover,
  PopoverClose,
  PopoverContent,
  PopoverTrigger,
} from '#app/components/ui/popover.tsx'
import { NativeSelect } from '#app/components/ui/select.tsx'
import { cn } from '#app/utils/cn.ts'

const TIME_STEP_MINUTES = 15

export type DateTimePickerProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'value' | 'defaultValue' | 'onChange'
> & {
  /** The form field name; submits as `YYYY-MM-DDTHH:MM` wall time in `timeZone`. */
  name: string
  timeZone: string
  defaultValue?: string
  value?: string
  onValueChange?: (value: string) => void
  /** Existing meetings, shown as dots in the calendar to help avoid clashes. */
  events?: CalendarEvent[]
}

/**
 * A native `datetime-local` input (works before hydration and on phones' own pickers) plus a
 * popover with the month calendar and 15-minute time steps once JS has loaded.
 */
export function DateTimePicker({
  name,
  timeZone,
  defaultValue = '',
  value: valueProp,
  onValueChange,
  events,
  className,
  disabled,
  ...inputProps
}: DateTimePickerProps) {
  const { t, i18n } = useTranslation('ui')
  const locale = i18n.resolvedLanguage ?? i18n.language
  const timeId = useId()
  const [ownValue, setOwnValue] = useState(defaultValue)
  const value = valueProp ?? ownValue
  const { date, time } = splitDateTime(value)

  // The button is useless until hydration, so it only appears once React runs in the browser.
  const [isHydrated, setIsHydrated] = useState(false)
  useEffect(() => setIsHydrated(true), [])

  const timeSlots = useMemo(() => {
    const slots = getTimeSlots(TIME_STEP_MINUTES)
    // Keep a time typed into the native input selectable even when it is off the 15-minute grid.
    return time && !slots.includes(time) ? [...slots, time].sort() : slots
  }, [time])
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }),
    [locale],
  )

  function setValue(next: string) {
    setOwnValue(next)
    onValueChange?.(next)
  }

  return (
    <div className={cn('flex gap-2', className)}>
      <Input
        {...inputProps}
        type="datetime-local"
        name={name}
        value={value}
        disabled={disabled}
        onChange={(event) => setValue(event.target.value)}
        className="flex-1"
      />
      {isHydrated ? (
        <Popover>
          <PopoverTrigger asChild>
            <Button
              variant="outline"
              size="icon"
              disabled={disabled}
              aria-label={t('dateTimePicker.pickDate')}
            >
              <CalendarDays aria-hidden />
            </Button>
          </PopoverTrigger>
          <PopoverContent align="end" className="grid w-auto gap-3 p-3">
            <MonthCalendar
              timeZone={timeZone}
              events={events}
              selected={date}
              onSelect={(day) => setValue(joinDateTime(day, time ?? DEFAULT_TIME))}
            />
            <div className="flex items-end gap-2">
              <div className="grid flex-1 gap-1.5">
                <Label htmlFor={timeId}>{t('dateTimePicker.time')}</Label>
                <NativeSelect
                  id={timeId}
                  value={time ?? ''}
                  onChange={(event) =>
                    setValue(
                      joinDateTime(date ?? toDateKey(new Date(), timeZone), event.target.value),
                    )
                  }
                >
                  {time ? null : (
                    <option value="" disabled>
                      {t('dateTimePicker.noTime')}
                    </option>
                  )}
                  {timeSlots.map((slot) => (
                    <option key={slot} value={slot}>
                      {timeFormat.format(new Date(`1970-01-01T${slot}:00Z`))}
                    </option>
                  ))}
                </NativeSelect>
              </div>
              <PopoverClose asChild>
                <Button>{t('done')}</Button>
              </PopoverClose>
            </div>
          </PopoverContent>
        </Popover>
      ) : null}
    </div>
  )
}
