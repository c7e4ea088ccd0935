import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { forecastFirstScreen, gridCapacity, gridShape, paginate } from './grid-layout.ts'

describe('gridCapacity', () => {
  it('is 3×3 on a desktop, 2×3 on a phone, 3×2 on a short landscape screen', () => {
    expect(gridCapacity({ width: 1280, height: 800 })).toEqual({ columns: 3, rows: 3 })
    expect(gridCapacity({ width: 390, height: 844 })).toEqual({ columns: 2, rows: 3 })
    expect(gridCapacity({ width: 360, height: 640 })).toEqual({ columns: 2, rows: 3 })
    expect(gridCapacity({ width: 844, height: 390 })).toEqual({ columns: 3, rows: 2 })
  })
})

describe('gridShape', () => {
  const desktop = { columns: 3, rows: 3 }
  const wide = { width: 1200, height: 640 }
  it('puts two people side by side on a wide screen and stacks them on a phone', () => {
    expect(gridShape(1, desktop, wide)).toEqual({ columns: 1, rows: 1 })
    expect(gridShape(2, desktop, wide)).toEqual({ columns: 2, rows: 1 })
    expect(gridShape(2, { columns: 2, rows: 3 }, { width: 370, height: 640 })).toEqual({
      columns: 1,
      rows: 2,
    })
  })
  it('fills a phone page of six as 2×3 and a desktop page of nine as 3×3', () => {
    expect(gridShape(6, { columns: 2, rows: 3 }, { width: 370, height: 640 })).toEqual({
      columns: 2,
      rows: 3,
    })
    expect(gridShape(9, desktop, wide)).toEqual({ columns: 3, rows: 3 })
    expect(gridShape(4, desktop, wide)).toEqual({ columns: 2, rows: 2 })
  })
  it('never exceeds the capacity and always has room for every tile', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 200, max: 3000 }),
        fc.integer({ min: 200, max: 2000 }),
        fc.nat(),
        (columns, rows, width, height, seed) => {
          const count = 1 + (seed % (columns * rows))
          const shape = gridShape(count, { columns, rows }, { width, height })
          expect(shape.columns).toBeLessThanOrEqual(columns)
          expect(shape.rows).toBeLessThanOrEqual(rows)
          expect(shape.columns * shape.rows).toBeGreaterThanOrEqual(count)
        },
      ),
    )
  })
})

describe('paginate', () => {
  const fifty = Array.from({ length: 50 }, (_, i) => i)
  it('splits 50 tiles into pages of 9', () => {
    expect(paginate(fifty, 9, 0)).toEqual({
      items: [0, 1, 2, 3, 4, 5, 6, 7, 8],
      page: 0,
      pageCount: 6,
    })
    expect(paginate(fifty, 9, 5).items).toEqual([45, 46, 47, 48, 49])
  })
  it('clamps a page that no longer exists (people left)', () => {
    expect(paginate([1, 2, 3], 9, 4)).toEqual({ items: [1, 2, 3], page: 0, pageCount: 1 })
    expect(paginate([], 6, -1)).toEqual({ items: [], page: 0, pageCount: 1 })
  })
  it('shows every item exactly once across pages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { maxLength: 80 }),
        fc.integer({ min: 1, max: 16 }),
        (items, perPage) => {
          const { pageCount } = paginate(items, perPage, 0)
          const all = Array.from(
            { length: pageCount },
            (_, page) => paginate(items, perPage, page).items,
          ).flat()
          expect(all).toEqual(items)
        },
      ),
    )
  })
})

describe('forecastFirstScreen', () => {
  const desktop = { viewport: { width: 1280, height: 800 }, devicePixelRatio: 1, screen: null }
  it('is the first grid page: our tile and the first eight others, at the layer a ninth of the screen needs', () => {
    const cameras = Array.from({ length: 10 }, (_, i) => `cam-${i}`)
    const wanted = forecastFirstScreen({ ...desktop, cameras })
    expect([...wanted.keys()]).toEqual(cameras.slice(0, 8))
    expect(new Set(wanted.values())).toEqual(new Set([1]))
  })
  it('skips people without a camera, who still take their place on the page', () => {
    const wanted = forecastFirstScreen({ ...desktop, cameras: ['a', null, 'c'] })
    expect([...wanted.keys()]).toEqual(['a', 'c'])
  })
  it('one other person on a large screen gets the full layer; small tiles on a phone the lowest', () => {
    expect(forecastFirstScreen({ ...desktop, cameras: ['a'], devicePixelRatio: 2 })).toEqual(
      new Map([['a', 2]]),
    )
    const phone = { ...desktop, viewport: { width: 360, height: 640 } }
    const cameras = Array.from({ length: 6 }, (_, i) => `cam-${i}`)
    const wanted = forecastFirstScreen({ ...phone, cameras })
    expect([...wanted.keys()]).toEqual(cameras.slice(0, 5))
    expect(new Set(wanted.values())).toEqual(new Set([0]))
  })
  it('a shared screen takes the stage, beside the filmstrip page that starts with our own tile', () => {
    const cameras = ['a', 'b', 'c', 'd', 'e']
    const wanted = forecastFirstScreen({ ...desktop, cameras, screen: 'screen' })
    expect(wanted).toEqual(
      new Map([
        ['screen', 2],
        ['a', 0],
        ['b', 0],
        ['c', 0],
      ]),
    )
  })
})
