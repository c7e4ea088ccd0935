// The video area: a paginated grid, a speaker view (one large tile and a filmstrip), or a presenter
// layout while someone shares a screen. Only tiles on the current page are mounted, so only their
// videos are consumed.
import { ChevronLeft, ChevronRight } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import {
  gridCapacity,
  gridShape,
  paginate,
  STRIP_TILES_DESKTOP,
  STRIP_TILES_PHONE,
} from '#app/media/grid-layout.ts'
import type { RoomClient } from '#app/media/room-client.ts'
import { cn } from '#app/utils/cn.ts'
import { ParticipantTile, type TileModel } from './participant-tile.tsx'
import { useElementSize, useViewport } from './use-viewport.ts'

export type StageLayout = 'grid' | 'speaker'

type StageProps = {
  client: RoomClient | null
  /** Camera tiles: ourselves first, then everyone in join order. */
  tiles: TileModel[]
  /** The newest shared screen, when someone presents. */
  screen: TileModel | null
  layout: StageLayout
  /** Who the speaker view shows large: the active speaker, else the last one, else the first. */
  speakerKey: string | null
}

export function RoomStage({ client, tiles, screen, layout, speakerKey }: StageProps) {
  // After the tiles' own effects: their video elements exist when the client resumes videos.
  useEffect(() => client?.attachStage(), [client])
  if (screen) return <FocusLayout client={client} focus={screen} others={tiles} />
  if (layout === 'speaker' && tiles.length > 1) {
    const focus = tiles.find((tile) => tile.key === speakerKey) ?? tiles[1] ?? tiles[0]!
    return (
      <FocusLayout
        client={client}
        focus={focus}
        others={tiles.filter((tile) => tile.key !== focus.key)}
      />
    )
  }
  return <GridLayout client={client} tiles={tiles} />
}

function GridLayout({ client, tiles }: { client: RoomClient | null; tiles: TileModel[] }) {
  const viewport = useViewport()
  const areaRef = useRef<HTMLDivElement>(null)
  const area = useElementSize(areaRef)
  const capacity = gridCapacity(viewport)
  const [page, setPage] = useState(0)
  const current = paginate(tiles, capacity.columns * capacity.rows, page)
  const shape = gridShape(current.items.length, capacity, area)
  return (
    <div className="flex size-full min-h-0 flex-col gap-2">
      <div
        ref={areaRef}
        data-testid="video-grid"
        className="grid min-h-0 flex-1 gap-2"
        style={{
          gridTemplateColumns: `repeat(${shape.columns}, minmax(0, 1fr))`,
          gridTemplateRows: `repeat(${shape.rows}, minmax(0, 1fr))`,
        }}
      >
        {current.items.map((tile) => (
          <ParticipantTile key={tile.key} tile={tile} client={client} />
        ))}
      </div>
      <Pager page={current.page} pageCount={current.pageCount} onPage={setPage} />
    </div>
  )
}

/** One large tile (speaker or shared screen) and a paginated filmstrip of the others. */
function FocusLayout({
  client,
  focus,
  others,
}: {
  client: RoomClient | null
  focus: TileModel
  others: TileModel[]
}) {
  const { isPhone } = useViewport()
  const [page, setPage] = useState(0)
  const strip = paginate(others, isPhone ? STRIP_TILES_PHONE : STRIP_TILES_DESKTOP, page)
  // A new presenter or speaker starts the strip from its first page.
  useEffect(() => setPage(0), [focus.key])
  return (
    <div className={cn('flex size-full min-h-0 gap-2', isPhone ? 'flex-col' : 'flex-row')}>
      <ParticipantTile tile={focus} client={client} className="min-h-0 flex-1" />
      {others.length > 0 ? (
        <div
          data-testid="filmstrip"
          className={cn(
            'flex shrink-0 gap-2',
            isPhone ? 'h-28 flex-row items-stretch' : 'w-56 flex-col lg:w-64',
          )}
        >
          <div className={cn('grid min-h-0 flex-1 gap-2', isPhone ? 'grid-cols-2' : 'grid-rows-4')}>
            {strip.items.map((tile) => (
              <ParticipantTile key={tile.key} tile={tile} client={client} isCompact />
            ))}
          </div>
          <Pager
            page={strip.page}
            pageCount={strip.pageCount}
            onPage={setPage}
            isVertical={isPhone}
          />
        </div>
      ) : null}
    </div>
  )
}

function Pager({
  page,
  pageCount,
  onPage,
  isVertical = false,
}: {
  page: number
  pageCount: number
  onPage: (page: number) => void
  isVertical?: boolean
}) {
  const { t } = useTranslation('meetings')
  if (pageCount <= 1) return null
  return (
    <nav
      aria-label={t('room.participants')}
      className={cn(
        'flex shrink-0 items-center justify-center gap-2 text-sm text-neutral-200',
        isVertical && 'flex-col',
      )}
    >
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="text-white hover:bg-white/10 hover:text-white"
        aria-label={t('room.previousPage')}
        disabled={page === 0}
        onClick={() => onPage(page - 1)}
      >
        <ChevronLeft aria-hidden />
      </Button>
      <span data-testid="page-indicator" aria-live="polite">
        {t('room.pageOf', { page: page + 1, pageCount })}
      </span>
      <Button
        type="button"
        variant="ghost"
        size="icon"
        className="text-white hover:bg-white/10 hover:text-white"
        aria-label={t('room.nextPage')}
        disabled={page >= pageCount - 1}
        onClick={() => onPage(page + 1)}
      >
        <ChevronRight aria-hidden />
      </Button>
    </nav>
  )
}
