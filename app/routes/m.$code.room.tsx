// The meeting room. This slice: the lobby wait, presence and leaving; audio/video arrive with the
// media issue (mediasoup), on this same route.
import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Link, useFetcher, useLoaderData, useRevalidator } from '@remix-run/react'
import { PhoneOff } from 'lucide-react'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Logo } from '#app/components/logo.tsx'
import { ConfirmDialog } from '#app/components/ui/alert-dialog.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { List, ListItem } from '#app/components/ui/list.tsx'
import { loadDevicePreferences } from '#app/media/device-preferences.ts'
import { useLocalMedia } from '#app/media/use-local-media.ts'
import { resolveInvite } from '#app/utils/invite.server.ts'
import { listAdmittedParticipants, recordPresence } from '#app/utils/services.server.ts'

// How often a waiting guest checks whether a moderator let them in.
const LOBBY_POLL_MS = 3_000

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.meeting.title ?? 'Vstrecha' },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { meeting, participant, viewer } = await resolveInvite(request, context, params.code)
  if (!participant || !viewer) throw redirect(`/m/${params.code}`)
  const participants =
    participant.status === 'admitted'
      ? await listAdmittedParticipants({ db: context.app.db, meetingId: meeting.id })
      : []
  return {
    meeting: { title: meeting.title, code: meeting.inviteCode, status: meeting.status },
    me: {
      userId: viewer.user.id,
      displayName: participant.displayName,
      status: participant.status,
      role: participant.role,
    },
    participants: participants.filter((p) => p.joinedAt && !p.leftAt),
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { meeting, participant, viewer } = await resolveInvite(request, context, params.code)
  if (!participant || !viewer) throw new Response('Not found', { status: 404 })
  const intent = (await request.formData()).get('intent')
  if (intent !== 'join' && intent !== 'leave') throw new Response('Bad request', { status: 400 })
  const recorded = await recordPresence({
    db: context.app.db,
    meetingId: meeting.id,
    userId: viewer.user.id,
    event: intent,
  })
  context.log.info(
    { userId: viewer.user.id, meetingId: meeting.id, event: intent, recorded },
    'meeting presence',
  )
  return { recorded }
}

export default function RoomPage() {
  const { t } = useTranslation('meetings')
  const { meeting, me, participants } = useLoaderData<typeof loader>()
  const presence = useFetcher<typeof action>()
  const revalidator = useRevalidator()
  const [hasLeft, setHasLeft] = useState(false)
  const joinedRef = useRef(false)

  useEffect(() => {
    if (me.status !== 'admitted' || joinedRef.current) return
    joinedRef.current = true
    presence.submit({ intent: 'join' }, { method: 'post' })
  }, [me.status, presence])

  useEffect(() => {
    if (hasLeft || (me.status !== 'lobby' && me.status !== 'admitted')) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, LOBBY_POLL_MS)
    return () => clearInterval(timer)
  }, [hasLeft, me.status, revalidator])

  if (me.status === 'lobby') {
    return (
      <Centered>
        <Avatar name={me.displayName} colorKey={me.userId} size="lg" isDecorative />
        <h1 className="text-xl font-semibold">{meeting.title}</h1>
        <p role="status" data-testid="lobby-waiting" className="text-muted-foreground">
          {t('prejoin.waiting')}
        </p>
      </Centered>
    )
  }
  if (me.status !== 'admitted' || meeting.status === 'ended') {
    return (
      <Centered>
        <p role="alert">
          {t(
            meeting.status === 'ended'
              ? 'prejoin.ended'
              : me.status === 'denied'
                ? 'prejoin.denied'
                : 'prejoin.removed',
          )}
        </p>
      </Centered>
    )
  }
  if (hasLeft) {
    return (
      <Centered>
        <p role="status">{t('room.left')}</p>
        <Button asChild>
          <Link to={`/m/${meeting.code}`}>{t('room.rejoin')}</Link>
        </Button>
      </Centered>
    )
  }
  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-6xl flex-col gap-4 px-4 py-4">
      <header className="flex items-center justify-between gap-3">
        <Logo />
        <h1 className="truncate text-lg font-semibold">{meeting.title}</h1>
      </header>
      <div className="grid flex-1 gap-4 lg:grid-cols-[3fr_1fr]">
        <LocalTile name={me.displayName} userId={me.userId} />
        <section aria-labelledby="in-room" className="grid content-start gap-2">
          <h2 id="in-room" className="text-sm font-medium text-muted-foreground">
            {t('room.inRoom')} · {participants.length}
          </h2>
          <List data-testid="room-participants">
            {participants.map((participant) => (
              <ListItem
                key={participant.userId}
                avatar={
                  <Avatar
                    name={participant.displayName}
                    colorKey={participant.userId}
                    size="sm"
                    isDecorative
                  />
                }
                title={participant.displayName}
                actions={<Badge variant="outline">{t(`role.${participant.role}`)}</Badge>}
              />
            ))}
          </List>
        </section>
      </div>
      <footer className="sticky bottom-0 flex justify-center gap-3 bg-background/90 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur">
        <ConfirmDialog
          trigger={
            <Button variant="destructive" size="lg">
              <PhoneOff />
              {t('room.leave')}
            </Button>
          }
          title={t('room.leaveTitle')}
          description={t('room.leaveDescription')}
          confirmLabel={t('room.leave')}
          isDestructive
          onConfirm={() => {
            setHasLeft(true)
            presence.submit({ intent: 'leave' }, { method: 'post' })
          }}
        />
      </footer>
    </main>
  )
}

function LocalTile({ name, userId }: { name: string; userId: string }) {
  const preferences = useRef(typeof window === 'undefined' ? null : loadDevicePreferences()).current
  const { stream } = useLocalMedia({
    cameraId: preferences?.cameraId,
    microphoneId: preferences?.microphoneId,
    isCameraOn: Boolean(preferences?.isCameraOn),
    isMicrophoneOn: false,
  })
  const videoRef = useRef<HTMLVideoElement>(null)
  useEffect(() => {
    if (videoRef.current) videoRef.current.srcObject = stream
  }, [stream])
  return (
    <div className="relative flex aspect-video items-center justify-center overflow-hidden rounded-xl bg-neutral-900">
      {stream ? (
        <video
          ref={videoRef}
          autoPlay
          muted
          playsInline
          className="size-full -scale-x-100 object-cover"
        />
      ) : (
        <Avatar name={name} colorKey={userId} size="lg" isDecorative />
      )}
      <span className="absolute start-3 bottom-3 rounded bg-black/60 px-2 py-0.5 text-sm text-white">
        {name}
      </span>
    </div>
  )
}

function Centered({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      {children}
    </main>
  )
}
