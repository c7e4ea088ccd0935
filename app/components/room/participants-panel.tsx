// Who is in the room, and for moderators who waits to come in: the lobby, the raised-hands queue in
// order, then everyone with role, microphone, camera and hand, and a menu per person. A side panel
// on wide screens, a full-screen sheet on phones.
import { Hand, Mic, MicOff, MonitorUp, MoreVertical, Video, VideoOff, X } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ConfirmDialog } from '#app/components/ui/alert-dialog.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '#app/components/ui/dropdown-menu.tsx'
import { List, ListItem } from '#app/components/ui/list.tsx'
import type { MeetingRole } from '#core/db/types.ts'
import { canDo, canModerate, isModeratorRole } from '#core/permissions.ts'
import type { LobbyEntry } from '#core/protocol/meeting-control.ts'

export type PanelPerson = {
  key: string
  userId: string
  displayName: string
  role: MeetingRole
  isLocal: boolean
  isMuted: boolean
  isCameraOn: boolean
  isScreenSharing: boolean
  isHandRaised: boolean
  /** A moderator muted them (they may not be allowed to unmute). */
  isForceMuted: boolean
}

export type HandInQueue = { userId: string; displayName: string }

/** The roles the panel offers (guest stays what the lobby made them). */
export type AssignableRole = 'cohost' | 'presenter' | 'participant'

/** What a moderator asks for from the panel; the room sends it and reports a refusal. */
export type PanelAction =
  | {
      type: 'mute' | 'stopCamera' | 'stopScreen' | 'remove' | 'lowerHand' | 'admit' | 'deny'
      userId: string
    }
  | { type: 'setRole'; userId: string; role: AssignableRole }
  | { type: 'muteAll' | 'admitAll' | 'lowerAllHands' }

type ParticipantsPanelProps = {
  people: PanelPerson[]
  lobby: LobbyEntry[]
  /** Raised hands, first raised first. */
  hands: HandInQueue[]
  /** What I may do follows from my role (core/permissions.ts); the server checks again. */
  myRole: MeetingRole
  onAction: (action: PanelAction) => void
  onClose: () => void
}

export function ParticipantsPanel({
  people,
  lobby,
  hands,
  myRole,
  onAction,
  onClose,
}: ParticipantsPanelProps) {
  const { t } = useTranslation('meetings')
  const isModerator = isModeratorRole(myRole)
  return (
    <aside
      aria-labelledby="participants-title"
      data-testid="participants-panel"
      className="fixed inset-0 z-40 flex flex-col bg-background text-foreground sm:static sm:z-auto sm:w-80 sm:shrink-0 sm:rounded-xl sm:border"
    >
      <header className="flex items-center justify-between gap-2 border-b px-4 py-2 pt-[max(0.5rem,env(safe-area-inset-top))]">
        <h2 id="participants-title" className="font-semibold">
          {t('room.participantsCount', { count: people.length })}
        </h2>
        <Button
          type="button"
          variant="ghost"
          size="icon"
          data-testid="close-participants"
          aria-label={t('room.closePanel')}
          onClick={onClose}
        >
          <X aria-hidden />
        </Button>
      </header>
      <div className="grid min-h-0 flex-1 content-start gap-4 overflow-y-auto p-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]">
        {isModerator && lobby.length > 0 ? (
          <LobbySection lobby={lobby} onAction={onAction} />
        ) : null}
        {hands.length > 0 ? (
          <HandsSection hands={hands} canModerate={isModerator} onAction={onAction} />
        ) : null}
        <section aria-labelledby="people-title" className="grid gap-2">
          <div className="flex min-h-9 flex-wrap items-center justify-between gap-2 px-1">
            <h3
              id="people-title"
              className="text-sm font-medium whitespace-nowrap text-muted-foreground"
            >
              {t('control.inMeeting')}
            </h3>
            {isModerator && people.length > 1 ? (
              <Button
                type="button"
                size="sm"
                variant="outline"
                data-testid="mute-all"
                onClick={() => onAction({ type: 'muteAll' })}
              >
                <MicOff aria-hidden />
                {t('control.muteAll')}
              </Button>
            ) : null}
          </div>
          <List data-testid="room-participants">
            {people.map((person) => (
              <PersonRow key={person.key} person={person} myRole={myRole} onAction={onAction} />
            ))}
          </List>
        </section>
      </div>
    </aside>
  )
}

function LobbySection({
  lobby,
  onAction,
}: {
  lobby: LobbyEntry[]
  onAction: (action: PanelAction) => void
}) {
  const { t } = useTranslation('meetings')
  return (
    <section aria-labelledby="lobby-title" data-testid="lobby-section" className="grid gap-2">
      <div className="flex min-h-9 items-center justify-between gap-2 px-1">
        <h3 id="lobby-title" className="text-sm font-medium">
          {t('control.lobbyCount', { count: lobby.length })}
        </h3>
        {lobby.length > 1 ? (
          <Button
            type="button"
            size="sm"
            data-testid="admit-all"
            onClick={() => onAction({ type: 'admitAll' })}
          >
            {t('control.admitAll')}
          </Button>
        ) : null}
      </div>
      <List className="border-primary/40">
        {lobby.map((entry) => (
          <ListItem
            key={entry.userId}
            data-testid="lobby-entry"
            data-display-name={entry.displayName}
            avatar={
              <Avatar name={entry.displayName} colorKey={entry.userId} size="sm" isDecorative />
            }
            title={entry.displayName}
            subtitle={entry.isGuest ? t('control.guest') : undefined}
            actions={
              <>
                <Button
                  type="button"
                  size="sm"
                  variant="outline"
                  data-testid="lobby-deny"
                  aria-label={t('control.denyName', { name: entry.displayName })}
                  onClick={() => onAction({ type: 'deny', userId: entry.userId })}
                >
                  {t('control.deny')}
                </Button>
                <Button
                  type="button"
                  size="sm"
                  data-testid="lobby-admit"
                  aria-label={t('control.admitName', { name: entry.displayName })}
                  onClick={() => onAction({ type: 'admit', userId: entry.userId })}
                >
                  {t('control.admit')}
                </Button>
              </>
            }
          />
        ))}
      </List>
    </section>
  )
}

function HandsSection({
  hands,
  canModerate,
  onAction,
}: {
  hands: HandInQueue[]
  canModerate: boolean
  onAction: (action: PanelAction) => void
}) {
  const { t } = useTranslation('meetings')
  return (
    <section aria-labelledby="hands-title" data-testid="hands-queue" className="grid gap-2">
      <div className="flex min-h-9 items-center justify-between gap-2 px-1">
        <h3 id="hands-title" className="flex items-center gap-1.5 text-sm font-medium">
          <Hand className="size-4 text-warning" aria-hidden />
          {t('control.hands')}
        </h3>
        {canModerate && hands.length > 1 ? (
          <Button
            type="button"
            size="sm"
            variant="outline"
            data-testid="lower-all-hands"
            onClick={() => onAction({ type: 'lowerAllHands' })}
          >
            {t('control.lowerAll')}
          </Button>
        ) : null}
      </div>
      <ol className="divide-y overflow-hidden rounded-lg border bg-card">
        {hands.map((hand, index) => (
          <li
            key={hand.userId}
            data-testid="hand-entry"
            data-display-name={hand.displayName}
            className="flex min-h-12 items-center gap-3 px-3 py-1.5"
          >
            <span className="w-5 text-end text-sm text-muted-foreground tabular-nums">
              {index + 1}
            </span>
            <Avatar name={hand.displayName} colorKey={hand.userId} size="xs" isDecorative />
            <span className="min-w-0 flex-1 truncate text-sm font-medium">{hand.displayName}</span>
            {canModerate ? (
              <Button
                type="button"
                size="icon"
                variant="ghost"
                data-testid="lower-hand"
                aria-label={t('control.lowerHandOfName', { name: hand.displayName })}
                title={t('control.lowerHandOf')}
                onClick={() => onAction({ type: 'lowerHand', userId: hand.userId })}
              >
                <X aria-hidden />
              </Button>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  )
}

function PersonRow({
  person,
  myRole,
  onAction,
}: {
  person: PanelPerson
  myRole: MeetingRole
  onAction: (action: PanelAction) => void
}) {
  const { t } = useTranslation('meetings')
  const [isConfirmingRemove, setIsConfirmingRemove] = useState(false)
  // Never the organizer, a co-host only by the organizer, never oneself.
  const hasMenu = !person.isLocal && canModerate(myRole, person.role)
  const canSetRole = canDo(myRole, 'meeting.setRole')
  const roles: AssignableRole[] = (['cohost', 'presenter', 'participant'] as const).filter(
    (role) => role !== person.role,
  )
  const roleLabel = {
    cohost: t('control.makeCohost'),
    presenter: t('control.makePresenter'),
    participant: t('control.makeParticipant'),
  }
  return (
    <ListItem
      data-testid="participant-row"
      data-display-name={person.displayName}
      data-hand-raised={person.isHandRaised || undefined}
      avatar={<Avatar name={person.displayName} colorKey={person.userId} size="sm" isDecorative />}
      title={person.isLocal ? t('room.you', { name: person.displayName }) : person.displayName}
      subtitle={
        person.role !== 'participant' ? (
          <Badge variant="outline" data-testid="role-badge" className="mt-0.5">
            {t(`role.${person.role}`)}
          </Badge>
        ) : undefined
      }
      actions={
        <>
          {person.isHandRaised ? (
            <Hand
              data-testid="row-hand"
              className="size-4 text-warning"
              aria-label={t('control.handRaised')}
            />
          ) : null}
          {person.isScreenSharing ? (
            <MonitorUp className="size-4 text-muted-foreground" aria-label={t('control.sharing')} />
          ) : null}
          {person.isCameraOn ? (
            <Video className="size-4 text-muted-foreground" aria-label={t('control.cameraOn')} />
          ) : (
            <VideoOff
              className="size-4 text-muted-foreground"
              aria-label={t('control.cameraOff')}
            />
          )}
          {person.isMuted ? (
            <MicOff
              data-testid="row-muted"
              className={
                person.isForceMuted ? 'size-4 text-destructive' : 'size-4 text-muted-foreground'
              }
              aria-label={person.isForceMuted ? t('control.micLocked') : t('room.muted')}
            />
          ) : (
            <Mic className="size-4 text-muted-foreground" aria-label={t('control.micOn')} />
          )}
          {hasMenu ? (
            <>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    data-testid="participant-menu"
                    aria-label={t('control.menu', { name: person.displayName })}
                  >
                    <MoreVertical aria-hidden />
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent>
                  {!person.isMuted ? (
                    <DropdownMenuItem
                      data-testid="menu-mute"
                      onSelect={() => onAction({ type: 'mute', userId: person.userId })}
                    >
                      <MicOff aria-hidden />
                      {t('control.mute')}
                    </DropdownMenuItem>
                  ) : null}
                  {person.isCameraOn ? (
                    <DropdownMenuItem
                      data-testid="menu-stop-camera"
                      onSelect={() => onAction({ type: 'stopCamera', userId: person.userId })}
                    >
                      <VideoOff aria-hidden />
                      {t('control.stopCamera')}
                    </DropdownMenuItem>
                  ) : null}
                  {person.isScreenSharing ? (
                    <DropdownMenuItem
                      data-testid="menu-stop-screen"
                      onSelect={() => onAction({ type: 'stopScreen', userId: person.userId })}
                    >
                      <MonitorUp aria-hidden />
                      {t('control.stopScreen')}
                    </DropdownMenuItem>
                  ) : null}
                  {person.isHandRaised ? (
                    <DropdownMenuItem
                      data-testid="menu-lower-hand"
                      onSelect={() => onAction({ type: 'lowerHand', userId: person.userId })}
                    >
                      <Hand aria-hidden />
                      {t('control.lowerHandOf')}
                    </DropdownMenuItem>
                  ) : null}
                  {canSetRole ? (
                    <>
                      <DropdownMenuSeparator />
                      {roles.map((role) => (
                        <DropdownMenuItem
                          key={role}
                          data-testid={`menu-role-${role}`}
                          onSelect={() =>
                            onAction({ type: 'setRole', userId: person.userId, role })
                          }
                        >
                          {roleLabel[role]}
                        </DropdownMenuItem>
                      ))}
                    </>
                  ) : null}
                  <DropdownMenuSeparator />
                  <DropdownMenuItem
                    isDestructive
                    data-testid="menu-remove"
                    onSelect={() => setIsConfirmingRemove(true)}
                  >
                    <X aria-hidden />
                    {t('control.remove')}
                  </DropdownMenuItem>
                </DropdownMenuContent>
              </DropdownMenu>
              <ConfirmDialog
                open={isConfirmingRemove}
                onOpenChange={setIsConfirmingRemove}
                title={t('control.removeTitle', { name: person.displayName })}
                description={t('control.removeDescription')}
                confirmLabel={t('control.remove')}
                isDestructive
                onConfirm={() => onAction({ type: 'remove', userId: person.userId })}
              />
            </>
          ) : null}
        </>
      }
    />
  )
}
