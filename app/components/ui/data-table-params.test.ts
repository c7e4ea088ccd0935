import { describe, expect, it } from 'vitest'
import {
  getPageSearch,
  getSearchFormHiddenParams,
  getSortSearch,
  parseTableParams,
} from '#app/components/ui/data-table-params.ts'

const params = (search: string) => new URLSearchParams(search)

describe('parseTableParams', () => {
  it('has defaults for a bare URL', () => {
    expect(parseTableParams(params(''))).toEqual({ q: '', sort: null, dir: 'asc', page: 1 })
  })

  it('reads query, sorting and page', () => {
    expect(parseTableParams(params('?q=+анна+&sort=name&dir=desc&page=3'))).toEqual({
      q: 'анна',
      sort: 'name',
      dir: 'desc',
      page: 3,
    })
  })

  it('falls back on nonsense instead of failing the loader', () => {
    const parsed = parseTableParams(params('?dir=sideways&page=-2'))
    expect(parsed.dir).toBe('asc')
    expect(parsed.page).toBe(1)
    expect(parseTableParams(params('?page=abc')).page).toBe(1)
    expect(parseTableParams(params('?page=2.5')).page).toBe(1)
  })

  it('ignores columns the loader cannot sort by', () => {
    const search = params('?sort=password_hash')
    expect(parseTableParams(search, { sortable: ['name', 'email'] }).sort).toBeNull()
    expect(parseTableParams(params('?sort=email'), { sortable: ['name', 'email'] }).sort).toBe(
      'email',
    )
  })
})

describe('getSortSearch', () => {
  it('cycles a column ascending → descending → unsorted', () => {
    expect(getSortSearch(params(''), 'name')).toBe('?sort=name&dir=asc')
    expect(getSortSearch(params('?sort=name&dir=asc'), 'name')).toBe('?sort=name&dir=desc')
    expect(getSortSearch(params('?sort=name&dir=desc'), 'name')).toBe('')
  })

  it('starts a different column ascending', () => {
    expect(getSortSearch(params('?sort=name&dir=desc'), 'email')).toBe('?sort=email&dir=asc')
  })

  it('keeps the search and goes back to the first page', () => {
    expect(getSortSearch(params('?q=ann&page=4'), 'name')).toBe('?q=ann&sort=name&dir=asc')
  })
})

describe('getPageSearch', () => {
  it('keeps other params and drops page=1', () => {
    expect(getPageSearch(params('?q=ann&sort=name&dir=asc'), 2)).toBe(
      '?q=ann&sort=name&dir=asc&page=2',
    )
    expect(getPageSearch(params('?q=ann&page=2'), 1)).toBe('?q=ann')
    expect(getPageSearch(params('?page=2'), 1)).toBe('')
  })
})

describe('getSearchFormHiddenParams', () => {
  it('carries sorting and other filters but not the old query or page', () => {
    expect(
      getSearchFormHiddenParams(params('?q=old&sort=name&dir=desc&page=3&role=admin')),
    ).toEqual([
      ['sort', 'name'],
      ['dir', 'desc'],
      ['role', 'admin'],
    ])
  })
})
