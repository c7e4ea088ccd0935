import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Link, useLoaderData, useSubmit } from '@remix-run/react'
import { ArrowLeft, Video } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { ChatMessageList } from '#app/components/chat/chat-message-list.tsx'
import { CopyLink, useCopyLinkOnArrival } from '#app/components/copy-link.tsx'
import { ConfirmDialog } from '#app/components/ui/alert-dialog.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardContent, CardHeader, CardTitle } from '#app/components/ui/card.tsx'
import { List, ListItem } from '#app/components/ui/list.tsx'
import { requireMember } from '#app/utils/auth.server.ts'
import { useDateFormatter } from '#app/utils/format.ts'
import { handleAppErrors } from '#app/utils/http.server.ts'
import { inviteUrlFor } from '#app/utils/invite.server.ts'
import {
  cancelMeeting,
  getMeetingForMember,
  getMeetingTranscript,
} from '#app/utils/services.server.ts'

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, context)
  const { meeting, participants, canManage } = await handleAppErrors(() =>
    getMeetingForMember({
      db: context.app.db,
      meetingId: params.id ?? '',
      userId: viewer.user.id,
      organizationId: viewer.membership.organization.id,
      isOrgAdmin: viewer.isOrgAdmin,
    }),
  )
  // The meeting's chat, for members of its conversation only (people who were in the meeting).
  const transcript = await getMeetingTranscript({
    db: context.app.db,
    meetingId: meeting.id,
    userId: viewer.user.id,
  })
  return {
    meeting: {
      id: meeting.id,
      title: meeting.title,
      kind: meeting.kind,
      status: meeting.status,
      access: meeting.access,
      lobbyEnabled: meeting.lobbyEnabled,
      scheduledStart: meeting.scheduledStart,
      scheduledEnd: meeting.scheduledEnd,
      timeZone: meeting.timeZone,
      joinPath: `/m/${meeting.inviteCode}`,
      url: inviteUrlFor(request, meeting.inviteCode),
    },
    participants,
    canManage,
    transcript,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireMember(request, context)
  const intent = (await request.formData()).get('intent')
  if (intent !== 'cancel') throw new Response('Bad request', { status: 400 })
  await handleAppErrors(() =>
    cancelMeeting({
      db: context.app.db,
      meetingId: params.id ?? '',
      actorId: viewer.user.id,
      organizationId: viewer.membership.organization.id,
      isOrgAdmin: viewer.isOrgAdmin,
      ip: context.clientIp,
    }),
  )
  throw redirect(`/meetings/${params.id}`)
}

export default function MeetingPage() {
  const { t } = useTranslation('meetings')
  const format = useDateFormatter()
  const submit = useSubmit()
  const { meeting, participants, canManage, transcript } = useLoaderData<typeof loader>()
  const { t: tChat } = useTranslation('chat')
  useCopyLinkOnArrival(meeting.url)
  const isActive = meeting.status !== 'cancelled' && meeting.status !== 'ended'
  return (
    <div className="grid grid-cols-1 gap-6">
      <Link
        to="/meetings"
        className="flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-4" aria-hidden="true" />
        {t('detail.back')}
      </Link>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-2">
          <h1 className="text-2xl font-semibold break-words">{meeting.title}</h1>
          <div className="flex flex-wrap gap-2">
            <Badge variant={meeting.status === 'cancelled' ? 'destructive' : 'secondary'}>
              {t(`status.${meeting.status}`)}
            </Badge>
            <Badge variant="outline">{t(`kind.${meeting.kind}`)}</Badge>
            <Badge variant="outline">{t(`access.${meeting.access}Short`)}</Badge>
            <Badge variant="outline">{t(meeting.lobbyEnabled ? 'lobby.on' : 'lobby.off')}</Badge>
          </div>
        </div>
        {isActive ? (
          <Button asChild size="lg">
            <Link to={meeting.joinPath}>
              <Video />
              {t('detail.join')}
            </Link>
          </Button>
        ) : null}
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>{t('detail.link')}</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-3">
            {isActive ? <CopyLink url={meeting.url} label={t('detail.link')} /> : null}
            <p className="text-sm text-muted-foreground">{t('detail.linkHint')}</p>
            <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
              <dt className="text-muted-foreground">{t('detail.when')}</dt>
              <dd>
                {meeting.scheduledStart && meeting.scheduledEnd
                  ? `${format.range(meeting.scheduledStart, meeting.scheduledEnd)} (${format.timeZone})`
                  : t('now')}
              </dd>
            </dl>
            {canManage && isActive ? (
              <ConfirmDialog
                trigger={
                  <Button variant="outline" className="justify-self-start text-destructive">
                    {t('detail.cancel')}
                  </Button>
                }
                title={t('detail.cancelTitle')}
                description={t('detail.cancelDescription')}
                confirmLabel={t('detail.cancel')}
                isDestructive
                onConfirm={() => submit({ intent: 'cancel' }, { method: 'post' })}
              />
            ) : null}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>{t('detail.participants')}</CardTitle>
          </CardHeader>
          <CardContent>
            {participants.length === 0 ? (
              <p className="text-muted-foreground">{t('detail.noParticipants')}</p>
            ) : (
              <List>
                {participants.map((participant) => (
                  <ListItem
                    key={participant.id}
                    avatar={
                      <Avatar
                        name={participant.displayName}
                        colorKey={participant.userId}
                        isDecorative
                      />
                    }
                    title={participant.displayName}
                    subtitle={t(`participantStatus.${participant.status}`)}
                    actions={<Badge variant="outline">{t(`role.${participant.role}`)}</Badge>}
                  />
                ))}
              </List>
            )}
          </CardContent>
        </Card>
        {transcript ? (
          <Card className="lg:col-span-2" data-testid="meeting-transcript">
            <CardHeader>
              <CardTitle>{tChat('transcriptTitle')}</CardTitle>
            </CardHeader>
            <CardContent>
              {transcript.length === 0 ? (
                <p className="text-muted-foreground">{tChat('transcriptEmpty')}</p>
              ) : (
                <ChatMessageList
                  youLabel={tChat('you')}
                  items={transcript.map((message) => ({
                    key: message.id,
                    senderId: message.senderId,
                    senderName: message.senderName,
                    body: message.body,
                    time: format.dateTime(message.createdAt),
                    // The transcript names everyone, the reader included.
                    isMine: false,
                    data: { 'data-seq': String(message.seq) },
                  }))}
                />
              )}
            </CardContent>
          </Card>
        ) : null}
      </div>
    </div>
  )
}
