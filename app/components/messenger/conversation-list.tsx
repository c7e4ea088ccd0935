// The list of my conversations (newest first) with unread badges and last-message previews, a
// search box (titles here, message text across all my conversations on the server), and the
// buttons for a new conversation and the channel directory.
import { NavLink, useNavigate } from '@remix-run/react'
import { Bell, Compass, Megaphone, Paperclip, Plus, Users, Video } from 'lucide-react'
import { Fragment, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ConversationAvatar } from '#app/components/messenger/conversation-avatar.tsx'
import { DirectoryDialog, NewConversationDialog } from '#app/components/messenger/dialogs.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { SearchInput } from '#app/components/ui/search-input.tsx'
import { Skeleton } from '#app/components/ui/skeleton.tsx'
import { toPlainText } from '#app/messenger/markdown.ts'
import { useMessengerClient, useMessengerState } from '#app/messenger/messenger-context.tsx'
import { sortedConversations } from '#app/messenger/state.ts'
import { cn } from '#app/utils/cn.ts'
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  type ConversationKind,
  type SearchHit,
} from '#core/protocol/messenger.ts'

const SEARCH_DEBOUNCE_MS = 300
const SEARCH_MIN_CHARS = 2

const kindIcon: Partial<Record<ConversationKind, typeof Users>> = {
  group: Users,
  channel: Megaphone,
  meeting: Video,
}

/** "…the [[match]] here…" as text and <mark> elements (never HTML). */
function Highlighted({ text }: { text: string }) {
  const parts = text.split(HIGHLIGHT_START)
  return (
    <>
      {parts.map((part, index) => {
        if (index === 0) return <Fragment key={index}>{part}</Fragment>
        const end = part.indexOf(HIGHLIGHT_END)
        if (end < 0) return <Fragment key={index}>{part}</Fragment>
        return (
          <Fragment key={index}>
            <mark className="rounded-sm bg-warning/60 text-foreground">{part.slice(0, end)}</mark>
            {part.slice(end + HIGHLIGHT_END.length)}
          </Fragment>
        )
      })}
    </>
  )
}

export function ConversationList({
  myUserId,
  language,
  timeZone,
  className,
}: {
  myUserId: string
  language: string
  timeZone: string
  className?: string
}) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const navigate = useNavigate()
  const conversations = useMessengerState(sortedConversations)
  const hasListed = useMessengerState((state) => state.hasListed)
  const isConnected = useMessengerState((state) => state.isConnected)
  const presence = useMessengerState((state) => state.presence)
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const [isNewOpen, setIsNewOpen] = useState(false)
  const [isDirectoryOpen, setIsDirectoryOpen] = useState(false)
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(
    'unsupported',
  )

  useEffect(() => {
    setPermission(typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)
  }, [])

  const directIds = useMemo(
    () => conversations.flatMap((conversation) => conversation.directUserId ?? []),
    [conversations],
  )
  useEffect(() => {
    if (isConnected) void client?.requestPresence(directIds)
    // Only when the set of people changes, not on every new message.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, isConnected, directIds.join(',')])

  useEffect(() => {
    const trimmed = query.trim()
    if (trimmed.length < SEARCH_MIN_CHARS || !client) {
      setHits(null)
      return
    }
    let isCurrent = true
    const timer = setTimeout(() => {
      client.request('messenger:search', { query: trimmed, limit: 30 }).then(
        (result) => {
          if (isCurrent) setHits(result.hits)
        },
        () => {
          if (isCurrent) setHits([])
        },
      )
    }, SEARCH_DEBOUNCE_MS)
    return () => {
      isCurrent = false
      clearTimeout(timer)
    }
  }, [client, query])

  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone }),
    [language, timeZone],
  )
  const dateFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', timeZone }),
    [language, timeZone],
  )
  const when = (value: string) => {
    const date = new Date(value)
    return dateFormat.format(date) === dateFormat.format(new Date())
      ? timeFormat.format(date)
      : dateFormat.format(date)
  }

  const titleMatches = conversations.filter((conversation) =>
    conversation.title.toLocaleLowerCase().includes(query.trim().toLocaleLowerCase()),
  )

  return (
    <aside
      className={cn('flex min-h-0 flex-col bg-card md:w-80 md:shrink-0 md:border-e', className)}
      aria-label={t('list.label')}
      data-testid="conversation-list"
    >
      <div className="flex items-center gap-1 px-3 pt-3 pb-2">
        <h1 className="flex-1 text-lg font-semibold">{t('title')}</h1>
        {permission === 'default' ? (
          <Button
            variant="ghost"
            size="icon"
            aria-label={t('notifications.enable')}
            title={t('notifications.enable')}
            onClick={() => {
              // Asked only from this click: browsers ignore (and penalize) unprompted requests.
              void Notification.requestPermission().then(setPermission)
            }}
          >
            <Bell aria-hidden />
          </Button>
        ) : null}
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('directory.title')}
          title={t('directory.title')}
          onClick={() => setIsDirectoryOpen(true)}
        >
          <Compass aria-hidden />
        </Button>
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('new.title')}
          title={t('new.title')}
          onClick={() => setIsNewOpen(true)}
        >
          <Plus aria-hidden />
        </Button>
      </div>
      <div className="px-3 pb-2">
        <SearchInput label={t('list.search')} value={query} onValueChange={setQuery} hasIcon />
      </div>
      {!isConnected && hasListed ? (
        <p className="mx-3 mb-2 rounded-md bg-warning/30 px-2 py-1 text-xs" role="status">
          {t('list.reconnecting')}
        </p>
      ) : null}
      <div className="min-h-0 flex-1 overflow-y-auto">
        {!hasListed ? (
          <div className="grid gap-2 p-3">
            {[0, 1, 2, 3].map((index) => (
              <Skeleton key={index} className="h-12" />
            ))}
          </div>
        ) : null}
        {hasListed ? (
          <nav aria-label={t('list.label')}>
            <ul className="grid gap-0.5 px-1.5">
              {titleMatches.map((conversation) => {
                const Icon = kindIcon[conversation.kind]
                const last = conversation.lastMessage
                const preview = !last
                  ? t('list.noMessages')
                  : last.isDeleted
                    ? t('message.deleted')
                    : `${last.senderId === myUserId ? `${t('list.you')}: ` : conversation.kind === 'direct' ? '' : `${last.senderName}: `}${toPlainText(last.excerpt)}`
                return (
                  <li key={conversation.id}>
                    <NavLink
                      to={`/chats/${conversation.id}`}
                      className={({ isActive }) =>
                        cn(
                          'flex items-center gap-3 rounded-md px-2 py-2',
                          isActive ? 'bg-accent' : 'hover:bg-accent/60',
                        )
                      }
                      data-testid="conversation-item"
                    >
                      <ConversationAvatar
                        conversation={conversation}
                        presence={
                          conversation.directUserId
                            ? presence[conversation.directUserId]
                            : undefined
                        }
                      />
                      <span className="min-w-0 flex-1">
                        <span className="flex items-center gap-1">
                          {Icon ? (
                            <Icon className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />
                          ) : null}
                          <span
                            className="truncate text-sm font-medium"
                            data-testid="conversation-item-title"
                          >
                            {conversation.title}
                          </span>
                          <span className="ms-auto shrink-0 text-xs text-muted-foreground">
                            {when(last?.createdAt ?? conversation.updatedAt)}
                          </span>
                        </span>
                        <span className="flex items-center gap-1">
                          {last?.hasAttachments ? (
                            <Paperclip
                              className="size-3 shrink-0 text-muted-foreground"
                              aria-hidden
                            />
                          ) : null}
                          <span className="truncate text-xs text-muted-foreground">{preview}</span>
                          {conversation.unreadCount > 0 ? (
                            <span
                              className="ms-auto inline-flex h-5 min-w-5 shrink-0 items-center justify-center rounded-full bg-primary px-1.5 text-[0.7rem] font-semibold text-primary-foreground"
                              data-testid="unread-badge"
                              aria-label={t('list.unread', { count: conversation.unreadCount })}
                            >
                              {conversation.unreadCount > 99 ? '99+' : conversation.unreadCount}
                            </span>
                          ) : null}
                        </span>
                      </span>
                    </NavLink>
                  </li>
                )
              })}
            </ul>
            {!conversations.length ? (
              <div className="grid gap-3 p-6 text-center text-sm text-muted-foreground">
                <p>{t('list.empty')}</p>
                <Button variant="outline" onClick={() => setIsNewOpen(true)}>
                  <Plus aria-hidden /> {t('new.title')}
                </Button>
              </div>
            ) : null}
          </nav>
        ) : null}
        {hits ? (
          <section aria-label={t('search.results')} className="border-t px-1.5 pt-2">
            <h2 className="px-2 pb-1 text-xs font-semibold text-muted-foreground uppercase">
              {t('search.results')}
            </h2>
            {hits.length ? (
              <ul className="grid gap-0.5" data-testid="search-hits">
                {hits.map((hit) => (
                  <li key={hit.message.id}>
                    <button
                      type="button"
                      className="grid w-full gap-0.5 rounded-md px-2 py-1.5 text-start hover:bg-accent"
                      onClick={() =>
                        navigate(
                          `/chats/${hit.message.conversationId}?message=${hit.message.id}&seq=${hit.message.seq}`,
                        )
                      }
                    >
                      <span className="flex gap-1 text-xs text-muted-foreground">
                        <span className="truncate font-medium text-foreground">
                          {hit.conversationTitle}
                        </span>
                        <span className="shrink-0">· {hit.message.sender.name}</span>
                        <span className="ms-auto shrink-0">{when(hit.message.createdAt)}</span>
                      </span>
                      <span className="line-clamp-2 text-sm">
                        <Highlighted text={hit.highlight} />
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="px-2 py-3 text-sm text-muted-foreground">{t('search.none')}</p>
            )}
          </section>
        ) : null}
      </div>
      <NewConversationDialog open={isNewOpen} onOpenChange={setIsNewOpen} myUserId={myUserId} />
      <DirectoryDialog open={isDirectoryOpen} onOpenChange={setIsDirectoryOpen} />
    </aside>
  )
}
