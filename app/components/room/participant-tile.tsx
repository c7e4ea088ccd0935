// One person (or one shared screen) in the room: their video, or their initials when there is none,
// with name, muted microphone and a ring while they speak.
import { Hand, MicOff, MonitorUp } from 'lucide-react'
import { memo, useEffect, useId, useRef, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { Avatar } from '#app/components/ui/avatar.tsx'
import type { FloatingReaction } from '#app/media/meeting-control.ts'
import type { RoomClient } from '#app/media/room-client.ts'
import { spatialLayerForTile } from '#app/media/video-views.ts'
import { cn } from '#app/utils/cn.ts'
import { FloatingReactions } from './reactions.tsx'

// Above this 0..1 level a peer counts as speaking (the ring shows); quieter is background noise.
const SPEAKING_LEVEL = 0.15

export type TileModel = {
  key: string
  peerId: string
  userId: string
  displayName: string
  kind: 'camera' | 'screen'
  isLocal: boolean
  videoTrack: MediaStreamTrack | null
  /** The remote producer behind the video, so the SFU sends it only while it is on screen. */
  videoProducerId: string | null
  isMuted: boolean
  level: number
  isActiveSpeaker: boolean
  isHandRaised?: boolean
  /** Reactions this person sent that are still in the air. */
  reactions?: readonly FloatingReaction[]
}

type TileProps = {
  tile: TileModel
  client: RoomClient | null
  className?: string
  /** Small filmstrip tiles hide details that do not fit. */
  isCompact?: boolean
}

export const ParticipantTile = memo(function ParticipantTile({
  tile,
  client,
  className,
  isCompact = false,
}: TileProps) {
  const { t } = useTranslation('meetings')
  const ref = useRef<HTMLDivElement>(null)
  useVideoView(client, tile.videoProducerId, ref)
  const isSpeaking = !tile.isMuted && (tile.level > SPEAKING_LEVEL || tile.isActiveSpeaker)
  const name = tile.isLocal ? t('room.you', { name: tile.displayName }) : tile.displayName
  const label = tile.kind === 'screen' ? t('room.screenOf', { name: tile.displayName }) : name
  const testId = tile.kind === 'screen' ? 'screen-tile' : tile.isLocal ? 'self-tile' : 'tile'
  return (
    <div
      ref={ref}
      data-testid={testId}
      data-peer-id={tile.peerId}
      data-display-name={tile.displayName}
      data-speaking={isSpeaking || undefined}
      aria-label={label}
      role="group"
      className={cn(
        'relative flex min-h-0 min-w-0 items-center justify-center overflow-hidden rounded-xl bg-neutral-800 ring-offset-2 ring-offset-neutral-950 transition-shadow',
        isSpeaking && 'ring-3 ring-success',
        className,
      )}
    >
      {tile.videoTrack ? (
        <VideoTrack
          track={tile.videoTrack}
          isMirrored={tile.isLocal && tile.kind === 'camera'}
          fit={tile.kind === 'screen' ? 'contain' : 'cover'}
        />
      ) : (
        <Avatar
          name={tile.displayName}
          colorKey={tile.userId}
          size={isCompact ? 'lg' : 'xl'}
          isDecorative
        />
      )}
      {tile.isHandRaised ? (
        <span
          data-testid="tile-hand"
          className="absolute start-2 top-2 inline-flex size-8 items-center justify-center rounded-full bg-warning text-warning-foreground shadow"
        >
          <Hand className="size-4" aria-hidden />
          <span className="sr-only">{t('control.handRaised')}</span>
        </span>
      ) : null}
      {tile.reactions ? <FloatingReactions reactions={tile.reactions} /> : null}
      <div className="absolute inset-x-0 bottom-0 flex items-center gap-1.5 bg-gradient-to-t from-black/70 to-transparent px-2 pt-4 pb-1.5 text-sm text-white">
        {tile.kind === 'screen' ? <MonitorUp className="size-4 shrink-0" aria-hidden /> : null}
        <span className="truncate">{label}</span>
        {tile.kind === 'camera' && tile.isMuted ? (
          <span
            data-testid="muted"
            className="ms-auto inline-flex size-6 shrink-0 items-center justify-center rounded-full bg-destructive"
          >
            <MicOff className="size-3.5" aria-hidden />
            <span className="sr-only">{t('room.muted')}</span>
          </span>
        ) : null}
      </div>
    </div>
  )
})

function VideoTrack({
  track,
  isMirrored,
  fit,
}: {
  track: MediaStreamTrack
  isMirrored: boolean
  fit: 'cover' | 'contain'
}) {
  const ref = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    const video = ref.current
    if (!video) return
    video.srcObject = new MediaStream([track])
    // Muted video autoplays everywhere; play() covers browsers that wait for it.
    void video.play().catch(() => {})
    return () => {
      video.srcObject = null
    }
  }, [track])
  return (
    <video
      ref={ref}
      data-testid="tile-video"
      autoPlay
      muted
      playsInline
      className={cn(
        'size-full',
        fit === 'cover' ? 'object-cover' : 'object-contain',
        isMirrored && '-scale-x-100',
      )}
    />
  )
}

/**
 * Tells the client this tile shows `producerId`, at the simulcast layer its size needs, while the
 * tile is on screen; on unmount or when scrolled away the consumer gets paused.
 */
function useVideoView(
  client: RoomClient | null,
  producerId: string | null,
  ref: RefObject<HTMLElement | null>,
) {
  const key = useId()
  useEffect(() => {
    const element = ref.current
    if (!client || !producerId || !element) return
    let size = { width: 0, height: 0 }
    let isVisible = true
    const update = () =>
      client.setVideoView(
        key,
        isVisible && size.width > 0
          ? { producerId, layer: spatialLayerForTile(size, window.devicePixelRatio) }
          : null,
      )
    const resizes = new ResizeObserver(([entry]) => {
      if (!entry) return
      size = { width: entry.contentRect.width, height: entry.contentRect.height }
      update()
    })
    const visibility = new IntersectionObserver(([entry]) => {
      if (!entry) return
      isVisible = entry.isIntersecting
      update()
    })
    resizes.observe(element)
    visibility.observe(element)
    return () => {
      resizes.disconnect()
      visibility.disconnect()
      client.setVideoView(key, null)
    }
  }, [client, producerId, key, ref])
}
