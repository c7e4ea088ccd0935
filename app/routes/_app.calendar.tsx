// The employee's meetings on a month grid, with the selected day's meetings listed below it.
// The shown month and day live in the URL (?month=YYYY-MM&day=YYYY-MM-DD), in the viewer's time zone.
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useNavigate, useNavigation } from '@remix-run/react'
import { CalendarPlus } from 'lucide-react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { MonthCalendar } from '#app/components/ui/calendar.tsx'
import {
  addDays,
  addMonths,
  getMonthKey,
  isDateKey,
  parseDateKey,
  toDateKey,
  type DateKey,
  type MonthKey,
} from '#app/components/ui/calendar-grid.ts'
import { Card, CardContent, CardHeader, CardTitle } from '#app/components/ui/card.tsx'
import { List, ListItem } from '#app/components/ui/list.tsx'
import { requireMember } from '#app/utils/auth.server.ts'
import { cn } from '#app/utils/cn.ts'
import { getRequestTimeZone } from '#app/utils/preferences.server.ts'
import { listMeetingsBetween } from '#app/utils/services.server.ts'
import { zonedLocalToUtc } from '#core/time.ts'

const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/
// The grid shows up to six days of the neighbouring months on each side; their meetings get dots too.
const GRID_PADDING_DAYS = 7

export const meta: MetaFunction = () => [{ title: 'Vstrecha' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, context)
  const timeZone = getRequestTimeZone(request)
  const url = new URL(request.url)
  const today = toDateKey(new Date(), timeZone)
  const dayParam = url.searchParams.get('day') ?? ''
  const monthParam = url.searchParams.get('month') ?? ''
  const requestedDay = isDateKey(dayParam) ? dayParam : null
  const month: MonthKey = MONTH_PATTERN.test(monthParam)
    ? monthParam
    : getMonthKey(requestedDay ?? today)

  const from = zonedLocalToUtc(`${addDays(`${month}-01`, -GRID_PADDING_DAYS)}T00:00`, timeZone)
  const to = zonedLocalToUtc(
    `${addDays(`${addMonths(month, 1)}-01`, GRID_PADDING_DAYS)}T00:00`,
    timeZone,
  )
  const rows = await listMeetingsBetween({
    db: context.app.db,
    userId: viewer.user.id,
    organizationId: viewer.membership.organization.id,
    from,
    to,
  })
  const meetings = rows.flatMap((row) =>
    row.scheduledStart
      ? [
          {
            id: row.id,
            title: row.title,
            status: row.status,
            start: row.scheduledStart,
            end: row.scheduledEnd,
          },
        ]
      : [],
  )
  // Without ?day: today when it is in the shown month, else the month's first day with a meeting.
  const inMonth = (key: DateKey) => getMonthKey(key) === month
  const selected: DateKey =
    requestedDay ??
    (inMonth(today)
      ? today
      : (meetings.map((meeting) => toDateKey(meeting.start, timeZone)).find(inMonth) ??
        `${month}-01`))
  return { timeZone, month, selected, today, meetings }
}

export default function CalendarPage() {
  const { t, i18n } = useTranslation('settings')
  const { timeZone, month, selected, today, meetings } = useLoaderData<typeof loader>()
  const navigate = useNavigate()
  const navigation = useNavigation()
  const language = i18n.language

  const events = useMemo(
    () => meetings.map((meeting) => ({ date: new Date(meeting.start), title: meeting.title })),
    [meetings],
  )
  const formats = useMemo(
    () => ({
      time: new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone }),
      day: new Intl.DateTimeFormat(language, {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        timeZone: 'UTC',
      }),
    }),
    [language, timeZone],
  )
  const dayMeetings = meetings.filter(
    (meeting) => toDateKey(new Date(meeting.start), timeZone) === selected,
  )
  const monthCount = meetings.filter(
    (meeting) => getMonthKey(toDateKey(new Date(meeting.start), timeZone)) === month,
  ).length
  const isLoading = navigation.state === 'loading' && navigation.location.pathname === '/calendar'

  const show = (params: Record<string, string>) =>
    navigate(`/calendar?${new URLSearchParams(params).toString()}`, {
      replace: true,
      preventScrollReset: true,
    })

  return (
    <div className="grid grid-cols-1 gap-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t('calendar.title')}</h1>
        <div className="flex gap-2">
          {selected !== today ? (
            <Button asChild variant="outline">
              <Link to="/calendar" replace preventScrollReset>
                {t('calendar.today')}
              </Link>
            </Button>
          ) : null}
          <Button asChild>
            <Link to="/meetings/new">
              <CalendarPlus aria-hidden />
              {t('calendar.schedule')}
            </Link>
          </Button>
        </div>
      </div>
      <div
        className={cn(
          'grid grid-cols-1 items-start gap-6 md:grid-cols-[auto_minmax(0,1fr)]',
          isLoading && 'opacity-70 transition-opacity',
        )}
      >
        <Card>
          <CardContent className="grid grid-cols-1 justify-items-center gap-2 pt-4 sm:pt-6">
            <MonthCalendar
              timeZone={timeZone}
              events={events}
              month={month}
              selected={selected}
              onMonthChange={(next) => show({ month: next })}
              onSelect={(day) => show({ month: getMonthKey(day), day })}
              className="w-80 max-w-full"
            />
            <p className="text-center text-sm text-muted-foreground" aria-live="polite">
              {t('calendar.monthCount', { count: monthCount })}
            </p>
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle asChild>
              <h2>
                {t('calendar.dayTitle', { date: formats.day.format(parseDateKey(selected)) })}
              </h2>
            </CardTitle>
          </CardHeader>
          <CardContent>
            {dayMeetings.length === 0 ? (
              <p className="text-muted-foreground">{t('calendar.noMeetings')}</p>
            ) : (
              <List data-testid="day-meetings">
                {dayMeetings.map((meeting) => (
                  <ListItem
                    key={meeting.id}
                    to={`/meetings/${meeting.id}`}
                    title={meeting.title}
                    subtitle={
                      <time dateTime={new Date(meeting.start).toISOString()}>
                        {meeting.end
                          ? `${formats.time.format(new Date(meeting.start))} – ${formats.time.format(new Date(meeting.end))}`
                          : formats.time.format(new Date(meeting.start))}
                      </time>
                    }
                    actions={
                      meeting.status === 'scheduled' ? null : (
                        <Badge variant={meeting.status === 'live' ? 'success' : 'secondary'}>
                          {t(`status.${meeting.status}`, { ns: 'meetings' })}
                        </Badge>
                      )
                    }
                  />
                ))}
              </List>
            )}
          </CardContent>
        </Card>
      </div>
    </div>
  )
}
