// The meeting room: the lobby wait for guests of a closed meeting, then the room itself (video,
// sound, screen share) through RoomClient; ended / denied / removed / left states. Presence and
// attendance are recorded by the socket gateway on media:join / leave / disconnect.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData, useRevalidator } from '@remix-run/react'
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { MeetingRoom } from '#app/components/room/meeting-room.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { useParticipantStatus } from '#app/media/use-participant-status.ts'
import { useRoomClient } from '#app/media/use-room-client.ts'
import { resolveInvite } from '#app/utils/invite.server.ts'

// How often a waiting guest checks whether a moderator let them in, in case the socket's
// `participant:status` does not arrive (the socket is down or was not up yet).
const LOBBY_POLL_MS = 3_000
// Join refusals after which the page reloads its data to show why (removed, ended…).
const REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND', 'UNAUTHORIZED', 'CONFLICT'])

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.meeting.title ?? 'Vstrecha' },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { meeting, participant, viewer } = await resolveInvite(request, context, params.code)
  if (!participant || !viewer) throw redirect(`/m/${params.code}`)
  return {
    meeting: { title: meeting.title, code: meeting.inviteCode, status: meeting.status },
    me: {
      userId: viewer.user.id,
      displayName: participant.displayName,
      status: participant.status,
      role: participant.role,
    },
  }
}

export default function RoomPage() {
  const { t } = useTranslation('meetings')
  const { meeting, me } = useLoaderData<typeof loader>()
  const revalidator = useRevalidator()
  const [hasLeft, setHasLeft] = useState(false)
  const isInRoom = me.status === 'admitted' && meeting.status !== 'ended' && !hasLeft
  const { client, state } = useRoomClient(meeting.code, isInRoom)
  // A stable callback for the room and the lobby socket; it reads the latest revalidator.
  const revalidatorRef = useRef(revalidator)
  revalidatorRef.current = revalidator
  const reload = useCallback(() => revalidatorRef.current.revalidate(), [])

  // Admitted or denied while waiting: the page data says so at once (admitted → the room opens).
  useParticipantStatus(meeting.code, me.status === 'lobby', reload)

  // In the room the socket brings everything (an end, a refusal after a removal); no polling there:
  // a loader fetch that fails during a network drop would replace the room with the error page.
  useEffect(() => {
    if (me.status !== 'lobby') return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') revalidator.revalidate()
    }, LOBBY_POLL_MS)
    return () => clearInterval(timer)
  }, [me.status, revalidator])

  // Refused by the server: reload the page data, which says why (removed, ended…).
  const failure = state.failure
  useEffect(() => {
    if (failure && REFUSALS.has(failure) && revalidator.state === 'idle') revalidator.revalidate()
  }, [failure, revalidator])

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
  if (me.status !== 'admitted' || meeting.status === 'ended' || state.status === 'ended') {
    const isEnded = meeting.status === 'ended' || state.status === 'ended'
    return (
      <Centered>
        <p role="alert" data-testid="room-closed">
          {t(
            isEnded ? 'room.ended' : me.status === 'denied' ? 'prejoin.denied' : 'prejoin.removed',
          )}
        </p>
        <Button asChild variant="outline">
          <Link to={`/m/${meeting.code}`}>{t('room.backToMeeting')}</Link>
        </Button>
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
    <MeetingRoom
      title={meeting.title}
      inviteCode={meeting.code}
      me={{ userId: me.userId, displayName: me.displayName, role: me.role }}
      client={client}
      state={state}
      onRemoved={reload}
      onLeave={() => {
        void client?.leave()
        setHasLeft(true)
      }}
    />
  )
}

function Centered({ children }: { children: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-4 p-6 text-center">
      {children}
    </main>
  )
}
