// How many tiles fit a viewport, how a page of them is arranged, and which page is shown. Only the
// tiles of the current page are rendered, so only they consume video.

export type Size = { width: number; height: number }
export type GridShape = { columns: number; rows: number }

/** Below this width the room uses its phone layout (1–2 columns, bottom controls, sheets). */
export const PHONE_MAX_WIDTH = 640

/** The most tiles a page may hold: 3×3 on desktops and tablets, 2×3 on phones, 3×2 when short. */
export function gridCapacity(viewport: Size): GridShape {
  if (viewport.width < PHONE_MAX_WIDTH) return { columns: 2, rows: 3 }
  if (viewport.height < 560) return { columns: 3, rows: 2 }
  return { columns: 3, rows: 3 }
}

/**
 * Columns × rows for `count` tiles inside `capacity`: as square as the area allows, so two people
 * sit side by side on a wide screen and stack on a tall one.
 */
export function gridShape(count: number, capacity: GridShape, area: Size): GridShape {
  if (count <= 1) return { columns: 1, rows: 1 }
  const isTall = area.height > area.width
  let best: GridShape = { columns: capacity.columns, rows: capacity.rows }
  let bestScore = -1
  for (let columns = 1; columns <= capacity.columns; columns++) {
    const rows = Math.ceil(count / columns)
    if (rows > capacity.rows) continue
    // Tile size with a 16:9 video inside each cell; the largest tile wins.
    const cellWidth = area.width / columns
    const cellHeight = area.height / rows
    const tileWidth = Math.min(cellWidth, (cellHeight * 16) / 9)
    // A tall area with few tiles stacks them rather than making thin columns.
    const score = tileWidth + (isTall && columns === 1 ? 1 : 0)
    if (score > bestScore) {
      bestScore = score
      best = { columns, rows }
    }
  }
  return best
}

export type Page<T> = { items: T[]; page: number; pageCount: number }

/** The items of a 0-based page; an out-of-range page is clamped (people leave, pages shrink). */
export function paginate<T>(items: readonly T[], perPage: number, page: number): Page<T> {
  const size = Math.max(1, Math.floor(perPage))
  const pageCount = Math.max(1, Math.ceil(items.length / size))
  const current = Math.min(Math.max(0, Math.floor(page)), pageCount - 1)
  return { items: items.slice(current * size, (current + 1) * size), page: current, pageCount }
}
