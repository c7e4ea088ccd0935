// How many tiles fit a viewport, how a page of them is arranged, and which page is shown. Only the
// tiles of the current page are rendered, so only they consume video.
import { spatialLayerForTile, type SpatialLayer } from './video-views.ts'

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

/** Filmstrip tiles per page beside a large tile (speaker or shared screen). */
export const STRIP_TILES_DESKTOP = 4
export const STRIP_TILES_PHONE = 2

// What the room screen takes around its stage: the header and the control bar above and below, the
// side padding; and the filmstrip's width beside a large tile. Close enough to pick a layer.
const STAGE_CHROME: Size = { width: 16, height: 112 }
const STRIP_WIDTH = 240

/**
 * The remote videos the room will show when it first renders, each at the layer its tile will
 * need, for the moments between the Join click and that render: the grid's first page, where our
 * own tile comes first, or a shared screen beside the filmstrip's first page. `cameras` are the
 * other people in join order, each with the camera producer their tile would show (null: none).
 */
export function forecastFirstScreen(options: {
  viewport: Size
  devicePixelRatio: number
  cameras: readonly (string | null)[]
  screen: string | null
}): Map<string, SpatialLayer> {
  const { viewport, devicePixelRatio, cameras, screen } = options
  const area = {
    width: Math.max(0, viewport.width - STAGE_CHROME.width),
    height: Math.max(0, viewport.height - STAGE_CHROME.height),
  }
  const wanted = new Map<string, SpatialLayer>()
  const add = (ids: readonly (string | null)[], layer: SpatialLayer) => {
    for (const id of ids) if (id) wanted.set(id, layer)
  }
  if (screen) {
    const isPhone = viewport.width < PHONE_MAX_WIDTH
    const strip = isPhone ? STRIP_TILES_PHONE : STRIP_TILES_DESKTOP
    const stage = isPhone ? area : { width: area.width - STRIP_WIDTH, height: area.height }
    add([screen], spatialLayerForTile(stage, devicePixelRatio))
    add(cameras.slice(0, strip - 1), 0)
    return wanted
  }
  const capacity = gridCapacity(viewport)
  const perPage = capacity.columns * capacity.rows
  const count = Math.min(perPage, cameras.length + 1)
  const shape = gridShape(count, capacity, area)
  const tile = { width: area.width / shape.columns, height: area.height / shape.rows }
  add(cameras.slice(0, perPage - 1), spatialLayerForTile(tile, devicePixelRatio))
  return wanted
}
