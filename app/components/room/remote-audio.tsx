// Everyone's sound, whatever page of the grid they are on: one <audio> per remote audio consumer,
// routed to the chosen speaker. If the browser blocks autoplay, a button lets the user start it.
import { Volume2 } from 'lucide-react'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import type { RemoteProducer } from '#app/media/room-state.ts'

type SinkableAudio = HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> }

export function RemoteAudio({
  producers,
  speakerId,
}: {
  producers: RemoteProducer[]
  speakerId: string | undefined
}) {
  const { t } = useTranslation('meetings')
  const [isBlocked, setIsBlocked] = useState(false)
  const containerRef = useRef<HTMLDivElement>(null)
  const onBlocked = useCallback(() => setIsBlocked(true), [])
  const unblock = () => {
    setIsBlocked(false)
    for (const audio of containerRef.current?.querySelectorAll('audio') ?? []) {
      void audio.play().catch(onBlocked)
    }
  }
  return (
    <>
      <div ref={containerRef} hidden>
        {producers.map((producer) =>
          producer.track ? (
            <PeerAudio
              key={producer.id}
              producer={producer}
              track={producer.track}
              speakerId={speakerId}
              onBlocked={onBlocked}
            />
          ) : null,
        )}
      </div>
      {isBlocked ? (
        <div
          role="alert"
          className="fixed inset-x-0 top-14 z-30 mx-auto flex w-fit max-w-[calc(100%-1rem)] items-center gap-3 rounded-lg bg-warning px-3 py-2 text-sm text-warning-foreground shadow-lg"
        >
          <span>{t('room.soundBlocked')}</span>
          <Button type="button" size="sm" variant="secondary" onClick={unblock}>
            <Volume2 aria-hidden />
            {t('room.enableSound')}
          </Button>
        </div>
      ) : null}
    </>
  )
}

function PeerAudio({
  producer,
  track,
  speakerId,
  onBlocked,
}: {
  producer: RemoteProducer
  track: MediaStreamTrack
  speakerId: string | undefined
  onBlocked: () => void
}) {
  const ref = useRef<SinkableAudio>(null)
  useEffect(() => {
    const audio = ref.current
    if (!audio) return
    audio.srcObject = new MediaStream([track])
    audio.play().catch((error: DOMException) => {
      if (error.name === 'NotAllowedError') onBlocked()
    })
    return () => {
      audio.srcObject = null
    }
  }, [track, onBlocked])
  useEffect(() => {
    const audio = ref.current
    if (!audio?.setSinkId) return
    // An unplugged speaker falls back to the default output.
    audio.setSinkId(speakerId ?? '').catch(() => void audio.setSinkId?.('').catch(() => {}))
  }, [speakerId])
  return (
    <audio
      ref={ref}
      autoPlay
      data-testid="peer-audio"
      data-peer-id={producer.peerId}
      data-source={producer.source}
    />
  )
}
