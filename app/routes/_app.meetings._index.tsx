import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useLoaderData, useSearchParams } from '@remix-run/react'
import { createColumnHelper } from '@tanstack/react-table'
import { CalendarPlus } from 'lucide-react'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { InstantMeetingButton } from '#app/components/instant-meeting-button.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { DataTable } from '#app/components/ui/data-table.tsx'
import { parseTableParams } from '#app/components/ui/data-table-params.ts'
import { requireMember } from '#app/utils/auth.server.ts'
import { cn } from '#app/utils/cn.ts'
import { useDateFormatter } from '#app/utils/format.ts'
import { startInstantMeeting } from '#app/utils/meetings.server.ts'
import { listMyMeetings, MEETING_SORTS, type MeetingSort } from '#app/utils/services.server.ts'

const FilterSchema = z.enum(['all', 'upcoming', 'past']).catch('all')

export const meta: MetaFunction = () => [{ title: 'Vstrecha' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, context)
  const searchParams = new URL(request.url).searchParams
  const params = parseTableParams(searchParams, { sortable: MEETING_SORTS })
  const filter = FilterSchema.parse(searchParams.get('filter') ?? 'all')
  const result = await listMyMeetings({
    db: context.app.db,
    userId: viewer.user.id,
    organizationId: viewer.membership.organization.id,
    query: params.q,
    filter,
    sort: (params.sort ?? undefined) as MeetingSort | undefined,
    direction: params.sort ? params.dir : 'desc',
    page: params.page,
  })
  return { ...result, filter }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireMember(request, context)
  const intent = (await request.formData()).get('intent')
  if (intent !== 'instant') throw new Response('Bad request', { status: 400 })
  const meeting = await startInstantMeeting(request, context, viewer)
  context.log.info({ userId: viewer.user.id, meetingId: meeting.id }, 'instant meeting created')
  throw redirect(`/meetings/${meeting.id}?created=instant`)
}

type Row = Awaited<ReturnType<typeof loader>>['rows'][number]
const column = createColumnHelper<Row>()

export default function MeetingsPage() {
  const { t } = useTranslation('meetings')
  const format = useDateFormatter()
  const { rows, pageCount, filter } = useLoaderData<typeof loader>()
  const [searchParams] = useSearchParams()

  const columns = useMemo(
    () => [
      column.accessor('title', {
        header: t('columns.title'),
        cell: (info) => (
          <Link
            to={`/meetings/${info.row.original.id}`}
            className="font-medium text-foreground hover:underline"
          >
            {info.getValue()}
          </Link>
        ),
      }),
      column.accessor('scheduledStart', {
        header: t('columns.scheduledStart'),
        cell: (info) => {
          const row = info.row.original
          return row.scheduledStart && row.scheduledEnd
            ? format.range(row.scheduledStart, row.scheduledEnd)
            : t('now')
        },
      }),
      column.accessor('organizerName', { header: t('columns.organizer'), enableSorting: false }),
      column.accessor('status', {
        header: t('columns.status'),
        cell: (info) => (
          <Badge
            variant={
              info.getValue() === 'live'
                ? 'success'
                : info.getValue() === 'cancelled'
                  ? 'destructive'
                  : 'secondary'
            }
          >
            {t(`status.${info.getValue()}`)}
          </Badge>
        ),
      }),
      column.accessor('createdAt', {
        header: t('columns.createdAt'),
        cell: (info) => format.dateTime(info.getValue()),
      }),
    ],
    [t, format],
  )

  const filterLink = (value: string) => {
    const next = new URLSearchParams(searchParams)
    next.delete('page')
    if (value === 'all') next.delete('filter')
    else next.set('filter', value)
    const search = next.toString()
    return search ? `?${search}` : '.'
  }

  return (
    <div className="grid grid-cols-1 gap-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <div className="flex flex-col gap-2 sm:flex-row">
          <InstantMeetingButton />
          <Button asChild variant="outline">
            <Link to="/meetings/new">
              <CalendarPlus />
              {t('schedule')}
            </Link>
          </Button>
        </div>
      </div>
      <nav aria-label={t('filter.label')} className="flex gap-1">
        {(['all', 'upcoming', 'past'] as const).map((value) => (
          <Link
            key={value}
            to={filterLink(value)}
            aria-current={filter === value ? 'page' : undefined}
            className={cn(
              'rounded-full px-3 py-1 text-sm',
              filter === value
                ? 'bg-primary text-primary-foreground'
                : 'bg-muted text-muted-foreground hover:text-foreground',
            )}
          >
            {t(`filter.${value}`)}
          </Link>
        ))}
      </nav>
      <DataTable
        columns={columns}
        data={rows}
        pageCount={pageCount}
        getRowId={(row) => row.id}
        label={t('title')}
        searchPlaceholder={t('searchPlaceholder')}
        emptyState={<p className="py-8 text-center text-muted-foreground">{t('empty')}</p>}
      />
    </div>
  )
}
