// Pre-join: check camera, microphone and speaker before entering the meeting.
import { Link } from '@remix-run/react'
import { Mic, MicOff, Video, VideoOff, Volume2 } from 'lucide-react'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CopyLink } from '#app/components/copy-link.tsx'
import { LanguageSwitcher } from '#app/components/language-switcher.tsx'
import { Logo } from '#app/components/logo.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardContent } from '#app/components/ui/card.tsx'
import { Label } from '#app/components/ui/label.tsx'
import { NativeSelect } from '#app/components/ui/select.tsx'
import {
  loadDevicePreferences,
  saveDevicePreferences,
  type DevicePreferences,
} from '#app/media/device-preferences.ts'
import { playTestTone } from '#app/media/play-test-tone.ts'
import { useAudioLevel } from '#app/media/use-audio-level.ts'
import { useLocalMedia } from '#app/media/use-local-media.ts'
import { joinEarly, useEarlyJoin, useRoomWarmUp } from '#app/media/use-room-client.ts'
import type { MeetingRole, MeetingStatus, ParticipantStatus } from '#core/db/types.ts'

type PreJoinProps = {
  meeting: { title: string; code: string; status: MeetingStatus }
  participant: { displayName: string; status: ParticipantStatus; role: MeetingRole; userId: string }
  inviteUrl: string | null
}

export function PreJoin({ meeting, participant, inviteUrl }: PreJoinProps) {
  const { t } = useTranslation('meetings')
  const [preferences, setPreferences] = useState<DevicePreferences | null>(null)
  useEffect(() => setPreferences(loadDevicePreferences()), [])
  const update = (patch: Partial<DevicePreferences>) =>
    setPreferences((current) => {
      const next = { ...(current ?? loadDevicePreferences()), ...patch }
      saveDevicePreferences(next)
      return next
    })

  const { stream, problem, devices } = useLocalMedia({
    cameraId: preferences?.cameraId,
    microphoneId: preferences?.microphoneId,
    isCameraOn: Boolean(preferences?.isCameraOn),
    isMicrophoneOn: Boolean(preferences?.isMicrophoneOn),
  })
  const level = useAudioLevel(preferences?.isMicrophoneOn ? stream : null)
  const videoRef = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    if (videoRef.current)
      videoRef.current.srcObject = stream?.getVideoTracks().length ? stream : null
  }, [stream])

  const blocked =
    participant.status === 'denied' ||
    participant.status === 'removed' ||
    meeting.status === 'ended'
  const canEnter = participant.status === 'admitted' && !blocked
  useRoomWarmUp(canEnter)
  useEarlyJoin()
  const byKind = (kind: MediaDeviceKind) =>
    devices.filter((device) => device.kind === kind && device.deviceId)
  const hasVideo = Boolean(stream?.getVideoTracks().length)

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-5xl flex-col gap-6 px-4 py-6">
      <header className="flex items-center justify-between">
        <Logo />
        <LanguageSwitcher />
      </header>
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr] lg:items-start">
        <div className="grid gap-3">
          <div className="relative aspect-video overflow-hidden rounded-xl bg-neutral-900">
            <video
              ref={videoRef}
              data-testid="prejoin-video"
              autoPlay
              muted
              playsInline
              className={hasVideo ? 'size-full -scale-x-100 object-cover' : 'hidden'}
            />
            {!hasVideo ? (
              <div className="absolute inset-0 flex flex-col items-center justify-center gap-3 text-neutral-200">
                <Avatar
                  name={participant.displayName}
                  colorKey={participant.userId}
                  size="lg"
                  isDecorative
                />
                <span className="text-sm">{t('prejoin.noCamera')}</span>
              </div>
            ) : null}
            <div className="absolute inset-x-0 bottom-0 flex justify-center gap-3 bg-gradient-to-t from-black/60 p-3">
              <Button
                type="button"
                size="icon"
                variant={preferences?.isMicrophoneOn ? 'secondary' : 'destructive'}
                aria-pressed={Boolean(preferences?.isMicrophoneOn)}
                aria-label={preferences?.isMicrophoneOn ? t('prejoin.micOff') : t('prejoin.micOn')}
                onClick={() => update({ isMicrophoneOn: !preferences?.isMicrophoneOn })}
              >
                {preferences?.isMicrophoneOn ? <Mic /> : <MicOff />}
              </Button>
              <Button
                type="button"
                size="icon"
                variant={preferences?.isCameraOn ? 'secondary' : 'destructive'}
                aria-pressed={Boolean(preferences?.isCameraOn)}
                aria-label={
                  preferences?.isCameraOn ? t('prejoin.cameraOff') : t('prejoin.cameraOn')
                }
                onClick={() => update({ isCameraOn: !preferences?.isCameraOn })}
              >
                {preferences?.isCameraOn ? <Video /> : <VideoOff />}
              </Button>
            </div>
          </div>
          <div className="flex items-center gap-3">
            <Mic className="size-4 text-muted-foreground" aria-hidden="true" />
            <div
              role="meter"
              aria-label={t('prejoin.micLevel')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.round(level * 100)}
              data-testid="mic-level"
              className="h-2 flex-1 overflow-hidden rounded-full bg-muted"
            >
              <div
                className="h-full bg-success transition-[width] duration-75"
                style={{ width: `${Math.round(level * 100)}%` }}
              />
            </div>
          </div>
          {problem ? (
            <p role="alert" className="rounded-md bg-warning/15 px-3 py-2 text-sm">
              {t(
                problem === 'permission-denied'
                  ? 'prejoin.permissionDenied'
                  : problem === 'insecure-context'
                    ? 'prejoin.insecure'
                    : 'prejoin.noDevices',
              )}
            </p>
          ) : null}
        </div>

        <Card>
          <CardContent className="grid gap-4 pt-6">
            <div>
              <h1 className="text-xl font-semibold break-words">{meeting.title}</h1>
              <p className="text-sm text-muted-foreground">
                {t('prejoin.joiningAs', { name: participant.displayName })}
              </p>
            </div>
            <DeviceSelect
              id="camera"
              label={t('prejoin.camera')}
              devices={byKind('videoinput')}
              value={preferences?.cameraId}
              onChange={(cameraId) => update({ cameraId })}
            />
            <DeviceSelect
              id="microphone"
              label={t('prejoin.microphone')}
              devices={byKind('audioinput')}
              value={preferences?.microphoneId}
              onChange={(microphoneId) => update({ microphoneId })}
            />
            <div className="grid gap-2">
              <DeviceSelect
                id="speaker"
                label={t('prejoin.speaker')}
                devices={byKind('audiooutput')}
                value={preferences?.speakerId}
                onChange={(speakerId) => update({ speakerId })}
              />
              <Button
                type="button"
                variant="ghost"
                size="sm"
                className="justify-self-start"
                onClick={() => void playTestTone(preferences?.speakerId)}
              >
                <Volume2 />
                {t('prejoin.testSpeaker')}
              </Button>
            </div>
            {participant.status === 'lobby' ? (
              <p className="rounded-md bg-muted px-3 py-2 text-sm" data-testid="lobby-notice">
                {t('prejoin.lobbyNotice')}
              </p>
            ) : null}
            {blocked ? (
              <p
                role="alert"
                className="rounded-md bg-destructive/10 px-3 py-2 text-sm text-destructive"
              >
                {t(
                  meeting.status === 'ended'
                    ? 'prejoin.ended'
                    : participant.status === 'denied'
                      ? 'prejoin.denied'
                      : 'prejoin.removed',
                )}
              </p>
            ) : (
              <Button asChild size="lg">
                <Link
                  to={`/m/${meeting.code}/room`}
                  data-testid="join-button"
                  onClick={() => {
                    if (canEnter) joinEarly(meeting.code)
                  }}
                >
                  {t('prejoin.join')}
                </Link>
              </Button>
            )}
            {inviteUrl ? <CopyLink url={inviteUrl} label={t('prejoin.copyLink')} /> : null}
          </CardContent>
        </Card>
      </div>
    </main>
  )
}

function DeviceSelect(props: {
  id: string
  label: string
  devices: MediaDeviceInfo[]
  value: string | undefined
  onChange: (deviceId: string | undefined) => void
}) {
  const { t } = useTranslation('meetings')
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={props.id}>{props.label}</Label>
      <NativeSelect
        id={props.id}
        value={props.value ?? ''}
        disabled={props.devices.length === 0}
        onChange={(event) => props.onChange(event.currentTarget.value || undefined)}
      >
        <option value="">{t('prejoin.defaultDevice')}</option>
        {props.devices.map((device, index) => (
          <option key={device.deviceId} value={device.deviceId}>
            {device.label || `${props.label} ${index + 1}`}
          </option>
        ))}
      </NativeSelect>
    </div>
  )
}
