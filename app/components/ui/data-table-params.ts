/**
 * URL search params of a server-driven table: `?q=text&sort=column&dir=asc|desc&page=N`.
 * Loaders read them with `parseTableParams`; the table builds its links with the other helpers.
 */
export type SortDirection = 'asc' | 'desc'

export type TableParams = {
  q: string
  sort: string | null
  dir: SortDirection
  /** 1-based. */
  page: number
}

export type ParseTableParamsOptions = {
  /** Column ids the loader can sort by; anything else in `?sort=` is ignored. */
  sortable?: readonly string[]
}

export function parseTableParams(
  searchParams: URLSearchParams,
  { sortable }: ParseTableParamsOptions = {},
): TableParams {
  const sort = searchParams.get('sort')
  const page = Number(searchParams.get('page') ?? 1)
  return {
    q: (searchParams.get('q') ?? '').trim(),
    sort: sort && (!sortable || sortable.includes(sort)) ? sort : null,
    dir: searchParams.get('dir') === 'desc' ? 'desc' : 'asc',
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  }
}

function toSearch(params: URLSearchParams): string {
  const search = params.toString()
  return search ? `?${search}` : ''
}

/** Clicking a header cycles ascending → descending → unsorted, back on the first page. */
export function getSortSearch(searchParams: URLSearchParams, columnId: string): string {
  const { sort, dir } = parseTableParams(searchParams)
  const next = new URLSearchParams(searchParams)
  next.delete('page')
  if (sort !== columnId) {
    next.set('sort', columnId)
    next.set('dir', 'asc')
  } else if (dir === 'asc') {
    next.set('dir', 'desc')
  } else {
    next.delete('sort')
    next.delete('dir')
  }
  return toSearch(next)
}

export function getPageSearch(searchParams: URLSearchParams, page: number): string {
  const next = new URLSearchParams(searchParams)
  if (page > 1) next.set('page', String(page))
  else next.delete('page')
  return toSearch(next)
}

/**
 * Params the search form carries along as hidden inputs: sorting stays, while the query is
 * replaced and the page resets.
 */
export function getSearchFormHiddenParams(searchParams: URLSearchParams): [string, string][] {
  return [...searchParams].filter(([name]) => name !== 'q' && name !== 'page')
}
