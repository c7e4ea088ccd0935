// Who is in the room: a side panel on wide screens, a full-screen sheet on phones.
import { Mic, MicOff, X } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { List, ListItem } from '#app/components/ui/list.tsx'

export type PanelPerson = {
  key: string
  userId: string
  displayName: string
  role: string
  isLocal: boolean
  isMuted: boolean
}

const knownRoles = new Set(['organizer', 'cohost', 'presenter', 'participant', 'guest'])

export function ParticipantsPanel({
  people,
  onClose,
}: {
  people: PanelPerson[]
  onClose: () => void
}) {
  const { t } = useTranslation('meetings')
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
          aria-label={t('room.closePanel')}
          onClick={onClose}
        >
          <X aria-hidden />
        </Button>
      </header>
      <div className="min-h-0 flex-1 overflow-y-auto p-2">
        <List data-testid="room-participants" className="border-0">
          {people.map((person) => (
            <ListItem
              key={person.key}
              avatar={
                <Avatar name={person.displayName} colorKey={person.userId} size="sm" isDecorative />
              }
              title={
                person.isLocal ? t('room.you', { name: person.displayName }) : person.displayName
              }
              actions={
                <>
                  {knownRoles.has(person.role) && person.role !== 'participant' ? (
                    <Badge variant="outline">{t(`role.${person.role as 'organizer'}`)}</Badge>
                  ) : null}
                  {person.isMuted ? (
                    <MicOff className="size-4 text-muted-foreground" aria-label={t('room.muted')} />
                  ) : (
                    <Mic className="size-4 text-muted-foreground" aria-hidden />
                  )}
                </>
              }
            />
          ))}
        </List>
      </div>
    </aside>
  )
}
