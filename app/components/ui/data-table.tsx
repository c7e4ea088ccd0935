import { Form, Link, useLocation, useNavigation, useSearchParams } from '@remix-run/react'
import {
  flexRender,
  getCoreRowModel,
  useReactTable,
  type ColumnDef,
  type Header,
} from '@tanstack/react-table'
import { ArrowDown, ArrowUp, ArrowUpDown, ChevronLeft, ChevronRight, Search } from 'lucide-react'
import { useEffect, useId, useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import {
  getPageSearch,
  getSearchFormHiddenParams,
  getSortSearch,
  parseTableParams,
} from '#app/components/ui/data-table-params.ts'
import { Input } from '#app/components/ui/input.tsx'
import { cn } from '#app/utils/cn.ts'

export type DataTableProps<T> = {
  // Columns mix value types (string, Date, …); TanStack's own docs type the array this way.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  columns: ColumnDef<T, any>[]
  /** The current page of rows, already searched, sorted and paginated by the loader. */
  data: T[]
  pageCount: number
  getRowId?: (row: T) => string
  /** Accessible name of the table, e.g. "Users". */
  label?: string
  emptyState?: ReactNode
  hasSearch?: boolean
  searchPlaceholder?: string
  /** Extra controls next to the search box, e.g. an "Invite" button. */
  toolbar?: ReactNode
  className?: string
}

/**
 * A table driven by URL search params (see data-table-params.ts): sorting and paging are links and
 * the search box is a GET form, so everything also works before hydration.
 */
export function DataTable<T>({
  columns,
  data,
  pageCount,
  getRowId,
  label,
  emptyState,
  hasSearch = true,
  searchPlaceholder,
  toolbar,
  className,
}: DataTableProps<T>) {
  const { t } = useTranslation('ui')
  const [searchParams] = useSearchParams()
  const { pathname } = useLocation()
  const navigation = useNavigation()
  const searchId = useId()
  const { q, sort, dir, page } = parseTableParams(searchParams)
  const isLoading = navigation.state === 'loading' && navigation.location.pathname === pathname

  // Show the active query after back/forward navigation without re-mounting (and blurring) the box.
  const searchRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (searchRef.current && searchRef.current.value.trim() !== q) searchRef.current.value = q
  }, [q])

  const table = useReactTable({
    data,
    columns,
    getRowId,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualFiltering: true,
    manualPagination: true,
    pageCount,
    state: { sorting: sort ? [{ id: sort, desc: dir === 'desc' }] : [] },
  })
  const rows = table.getRowModel().rows

  return (
    <div className={cn('grid min-w-0 grid-cols-1 gap-3', className)}>
      {hasSearch || toolbar ? (
        <div className="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
          {hasSearch ? (
            <Form
              // An explicit action keeps Remix from adding `?index` on index routes.
              action={pathname}
              method="get"
              role="search"
              preventScrollReset
              className="relative sm:w-72"
            >
              {getSearchFormHiddenParams(searchParams).map(([name, value]) => (
                <input key={`${name}=${value}`} type="hidden" name={name} value={value} />
              ))}
              <label htmlFor={searchId} className="sr-only">
                {t('table.search')}
              </label>
              <Search
                className="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
                aria-hidden
              />
              <Input
                ref={searchRef}
                id={searchId}
                type="search"
                name="q"
                defaultValue={q}
                placeholder={searchPlaceholder ?? t('table.searchPlaceholder')}
                enterKeyHint="search"
                className="ps-9"
              />
            </Form>
          ) : null}
          {toolbar ? <div className="flex flex-wrap items-center gap-2">{toolbar}</div> : null}
        </div>
      ) : null}

      {/* Wide tables scroll sideways inside their box instead of stretching a phone screen; `relative` keeps screen-reader-only text inside the scroller too. */}
      <div className="relative overflow-x-auto rounded-lg border">
        <table
          aria-busy={isLoading || undefined}
          className={cn('w-full text-sm transition-opacity', isLoading && 'opacity-60')}
        >
          {label ? <caption className="sr-only">{label}</caption> : null}
          <thead className="bg-muted/50">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id} className="border-b">
                {group.headers.map((header) => (
                  <HeaderCell
                    key={header.id}
                    header={header}
                    sortSearch={getSortSearch(searchParams, header.column.id)}
                    pathname={pathname}
                  />
                ))}
              </tr>
            ))}
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td
                  colSpan={table.getVisibleLeafColumns().length}
                  className="px-3 py-10 text-center text-muted-foreground"
                >
                  {emptyState ?? t('table.noResults')}
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr
                  key={row.id}
                  className="border-b transition-colors last:border-0 hover:bg-muted/40"
                >
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-2.5 align-middle">
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>

      {pageCount > 1 ? (
        <nav aria-label={t('table.pagination')} className="flex items-center justify-between gap-2">
          <p className="text-sm text-muted-foreground">{t('table.pageOf', { page, pageCount })}</p>
          <div className="flex gap-2">
            <PageLink
              to={{ pathname, search: getPageSearch(searchParams, page - 1) }}
              isDisabled={page <= 1}
              rel="prev"
            >
              <ChevronLeft aria-hidden className="rtl:rotate-180" />
              <span className="sr-only sm:not-sr-only">{t('previous')}</span>
            </PageLink>
            <PageLink
              to={{ pathname, search: getPageSearch(searchParams, page + 1) }}
              isDisabled={page >= pageCount}
              rel="next"
            >
              <span className="sr-only sm:not-sr-only">{t('next')}</span>
              <ChevronRight aria-hidden className="rtl:rotate-180" />
            </PageLink>
          </div>
        </nav>
      ) : null}
    </div>
  )
}

function HeaderCell<T>({
  header,
  sortSearch,
  pathname,
}: {
  header: Header<T, unknown>
  sortSearch: string
  pathname: string
}) {
  const { t } = useTranslation('ui')
  const sorted = header.column.getIsSorted()
  const content = header.isPlaceholder
    ? null
    : flexRender(header.column.columnDef.header, header.getContext())
  const className = 'px-3 py-2 text-start font-medium whitespace-nowrap text-muted-foreground'

  if (header.isPlaceholder || !header.column.getCanSort()) {
    return (
      <th scope="col" colSpan={header.colSpan} className={className}>
        {content}
      </th>
    )
  }

  const SortIcon = sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ArrowUpDown
  const nextAction =
    sorted === 'asc'
      ? t('table.sortDescending')
      : sorted === 'desc'
        ? t('table.clearSort')
        : t('table.sortAscending')
  return (
    <th
      scope="col"
      colSpan={header.colSpan}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
      className={className}
    >
      <Link
        to={{ pathname, search: sortSearch }}
        preventScrollReset
        className="-mx-1 inline-flex items-center gap-1 rounded-sm px-1 hover:text-foreground"
      >
        {content}
        <SortIcon aria-hidden className={cn('size-3.5', !sorted && 'opacity-40')} />
        <span className="sr-only">{nextAction}</span>
      </Link>
    </th>
  )
}

function PageLink({
  to,
  isDisabled,
  rel,
  children,
}: {
  to: { pathname: string; search: string }
  isDisabled: boolean
  rel: 'prev' | 'next'
  children: ReactNode
}) {
  // Phones show only the arrow; the text stays for screen readers.
  if (isDisabled) {
    return (
      <Button variant="outline" size="sm" disabled>
        {children}
      </Button>
    )
  }
  return (
    <Button asChild variant="outline" size="sm">
      <Link to={to} rel={rel} preventScrollReset>
        {children}
      </Link>
    </Button>
  )
}
