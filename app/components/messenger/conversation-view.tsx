// One conversation: header, pinned messages, history by day and author (older pages load as you
// scroll up), typing indicator, and the composer — or, in a channel where I cannot post, a notice.
import { Link, useSearchParams } from '@remix-run/react'
import { ArrowDown, ArrowLeft, Lock, Megaphone, Pin, Users } from 'lucide-react'
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Composer } from '#app/components/messenger/composer.tsx'
import { ConversationAvatar } from '#app/components/messenger/conversation-avatar.tsx'
import {
  ForwardDialog,
  ImagePreviewDialog,
  MembersDialog,
} from '#app/components/messenger/dialogs.tsx'
import { MessageItem, PendingItem } from '#app/components/messenger/message-item.tsx'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Skeleton } from '#app/components/ui/skeleton.tsx'
import { groupMessages } from '#app/messenger/grouping.ts'
import { toPlainText } from '#app/messenger/markdown.ts'
import { useMessengerClient, useMessengerState } from '#app/messenger/messenger-context.tsx'
import type { ConversationThread } from '#app/messenger/state.ts'
import type { AttachmentInfo, MessengerMessage } from '#core/protocol/messenger.ts'

/** Within this many pixels of the bottom the list follows new messages. */
const STICK_TO_BOTTOM_PX = 120
/** Older history loads when the top is this close. */
const LOAD_OLDER_PX = 300
/** Room above the "new messages" line when a conversation opens at it (the day label is sticky). */
const UNREAD_LINE_MARGIN_PX = 48
// Scroll positions are set before paint in the browser; the server render has nothing to measure.
const useBrowserLayoutEffect = typeof document === 'undefined' ? useEffect : useLayoutEffect

export type ConversationViewProps = {
  conversationId: string
  myUserId: string
  language: string
  timeZone: string
  attachmentMaxBytes: number
}

export function ConversationView({
  conversationId,
  myUserId,
  language,
  timeZone,
  attachmentMaxBytes,
}: ConversationViewProps) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const conversation = useMessengerState((state) => state.conversations[conversationId])
  const thread = useMessengerState((state) => state.threads[conversationId]) as
    ConversationThread | undefined
  const pendingAll = useMessengerState((state) => state.pending)
  const pending = useMemo(
    () => pendingAll.filter((entry) => entry.conversationId === conversationId),
    [pendingAll, conversationId],
  )
  const typing = useMessengerState((state) => state.typing[conversationId])
  const presence = useMessengerState((state) =>
    conversation?.directUserId ? state.presence[conversation.directUserId] : undefined,
  )
  const hasListed = useMessengerState((state) => state.hasListed)
  const openError = client?.openErrors.get(conversationId)

  const [replyTo, setReplyTo] = useState<MessengerMessage | null>(null)
  const [editing, setEditing] = useState<MessengerMessage | null>(null)
  const [forwarding, setForwarding] = useState<MessengerMessage | null>(null)
  const [preview, setPreview] = useState<AttachmentInfo | null>(null)
  const [isMembersOpen, setIsMembersOpen] = useState(false)
  const [pinnedIndex, setPinnedIndex] = useState(0)
  const [isAtBottom, setIsAtBottom] = useState(true)

  useEffect(() => {
    client?.setViewing(conversationId)
    setReplyTo(null)
    setEditing(null)
    return () => client?.setViewing(null)
  }, [client, conversationId])

  useEffect(() => {
    if (conversation?.directUserId) void client?.requestPresence([conversation.directUserId])
  }, [client, conversation?.directUserId])

  const members = useMemo(() => thread?.members ?? [], [thread?.members])
  const nameOf = useCallback(
    (userId: string) => members.find((member) => member.userId === userId)?.name ?? '',
    [members],
  )
  const othersReadSeq = useMemo(
    () =>
      members
        .filter((member) => member.userId !== myUserId)
        .reduce((max, member) => Math.max(max, member.lastReadSeq), 0),
    [members, myUserId],
  )

  // What was unread when the conversation opened: a "new messages" line stays above the first of
  // those while it is on screen, though opening it marks everything read. Set during render (not in
  // an effect) so the first scroll already knows where the line is.
  const [unread, setUnread] = useState<{ conversationId: string; afterSeq: number | null }>()
  if (conversation && unread?.conversationId !== conversationId) {
    setUnread({
      conversationId,
      afterSeq: conversation.unreadCount > 0 ? conversation.lastReadSeq : null,
    })
  }
  const unreadAfterSeq = unread?.conversationId === conversationId ? unread.afterSeq : null

  const messages = useMemo(() => thread?.messages ?? [], [thread?.messages])
  // Only once the loaded history reaches back to it: otherwise the line would sit above a later one.
  const firstUnreadSeq =
    unreadAfterSeq !== null && (messages[0]?.seq ?? Infinity) <= unreadAfterSeq + 1
      ? messages.find((message) => message.seq > unreadAfterSeq)?.seq
      : undefined
  const days = useMemo(
    () => groupMessages(messages, timeZone, firstUnreadSeq),
    [messages, timeZone, firstUnreadSeq],
  )
  const dayFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone }),
    [language, timeZone],
  )
  const timeFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone }),
    [language, timeZone],
  )
  const dayLabel = (date: Date) => {
    const key = dayFormat.format(date)
    if (key === dayFormat.format(new Date())) return t('day.today')
    if (key === dayFormat.format(new Date(Date.now() - 86_400_000))) return t('day.yesterday')
    return key
  }

  // Scrolling: stick to the bottom as messages arrive; keep the position when older ones load.
  const scrollRef = useRef<HTMLDivElement>(null)
  const unreadLineRef = useRef<HTMLDivElement>(null)
  const isLoadingOlder = useRef(false)
  const anchor = useRef<{ height: number; top: number } | null>(null)
  const lastCount = useRef(0)
  const firstSeq = messages[0]?.seq
  useBrowserLayoutEffect(() => {
    const element = scrollRef.current
    if (!element) return
    const unreadLine = unreadLineRef.current
    if (anchor.current) {
      element.scrollTop = anchor.current.top + (element.scrollHeight - anchor.current.height)
      anchor.current = null
    } else if (lastCount.current === 0 && unreadLine) {
      // Opened with unread messages: start at the first of them.
      element.scrollTop =
        element.scrollTop +
        unreadLine.getBoundingClientRect().top -
        element.getBoundingClientRect().top -
        UNREAD_LINE_MARGIN_PX
    } else if (isAtBottom || lastCount.current === 0) {
      element.scrollTop = element.scrollHeight
    }
    lastCount.current = messages.length + pending.length
    // On content changes only: scrolling by hand (isAtBottom) must not jump the list.
  }, [messages, pending.length, firstSeq])
  useEffect(() => {
    lastCount.current = 0
    setIsAtBottom(true)
  }, [conversationId])

  const onScroll = () => {
    const element = scrollRef.current
    if (!element || !client) return
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight
    setIsAtBottom(distance < STICK_TO_BOTTOM_PX)
    if (distance < STICK_TO_BOTTOM_PX && document.visibilityState === 'visible') {
      client.markRead(conversationId)
    }
    if (element.scrollTop < LOAD_OLDER_PX && thread?.hasOlder && !isLoadingOlder.current) {
      isLoadingOlder.current = true
      anchor.current = { height: element.scrollHeight, top: element.scrollTop }
      client
        .loadOlder(conversationId)
        .catch(() => {
          anchor.current = null
        })
        .finally(() => {
          isLoadingOlder.current = false
        })
    }
  }

  const jumpTo = (messageId: string) => {
    const element = document.getElementById(`message-${messageId}`)
    if (!element) return
    element.scrollIntoView({ block: 'center', behavior: 'smooth' })
    element.classList.add('bg-accent')
    setTimeout(() => element.classList.remove('bg-accent'), 1_500)
  }

  // Opened from a search hit: page back until the message is loaded, then show it.
  const [searchParams] = useSearchParams()
  const targetId = searchParams.get('message')
  const targetSeq = Number(searchParams.get('seq'))
  const shownTarget = useRef<string | null>(null)
  useEffect(() => {
    if (!targetId || !client || !thread?.isLoaded || shownTarget.current === targetId) return
    if (messages.some((message) => message.id === targetId)) {
      shownTarget.current = targetId
      setIsAtBottom(false)
      requestAnimationFrame(() => jumpTo(targetId))
    } else if (thread.hasOlder && (messages[0]?.seq ?? 0) > targetSeq && !isLoadingOlder.current) {
      isLoadingOlder.current = true
      void client
        .loadOlder(conversationId)
        .catch(() => {})
        .finally(() => {
          isLoadingOlder.current = false
        })
    }
  }, [client, conversationId, messages, targetId, targetSeq, thread?.hasOlder, thread?.isLoaded])

  const scrollToBottom = () => {
    const element = scrollRef.current
    if (element) element.scrollTop = element.scrollHeight
  }

  if (openError || (hasListed && !conversation)) {
    return (
      <div className="flex flex-1 flex-col items-center justify-center gap-3 p-6 text-center">
        <p className="text-muted-foreground">{t('view.notFound')}</p>
        <Button asChild variant="outline">
          <Link to="/chats">{t('view.backToList')}</Link>
        </Button>
      </div>
    )
  }

  const pinned = thread?.pinned ?? []
  const currentPin = pinned[pinnedIndex % Math.max(pinned.length, 1)]
  const typingNames = Object.values(typing ?? {}).map((entry) => entry.name)

  return (
    <section
      className="flex min-h-0 min-w-0 flex-1 flex-col"
      aria-label={conversation?.title ?? t('view.loading')}
    >
      <header className="flex items-center gap-2 border-b px-2 py-2 md:px-4">
        <Button asChild variant="ghost" size="icon" className="md:hidden">
          <Link to="/chats" aria-label={t('view.back')}>
            <ArrowLeft aria-hidden />
          </Link>
        </Button>
        {conversation ? (
          <>
            <ConversationAvatar conversation={conversation} presence={presence} />
            <div className="min-w-0 flex-1">
              <h2
                className="flex items-center gap-1 truncate font-semibold"
                data-testid="conversation-title"
              >
                {conversation.kind === 'channel' ? (
                  <Megaphone className="size-4 shrink-0" aria-hidden />
                ) : null}
                <span className="truncate">{conversation.title}</span>
              </h2>
              <p className="truncate text-xs text-muted-foreground">
                {conversation.kind === 'direct'
                  ? t(`presence.${presence ?? 'offline'}`)
                  : t('view.members', { count: conversation.memberCount })}
              </p>
            </div>
            {conversation.kind !== 'direct' ? (
              <Button
                variant="ghost"
                size="icon"
                aria-label={t('members.title')}
                onClick={() => setIsMembersOpen(true)}
              >
                <Users aria-hidden />
              </Button>
            ) : null}
          </>
        ) : (
          <Skeleton className="h-8 w-48" />
        )}
      </header>

      {currentPin ? (
        <div
          className="flex items-center gap-2 border-b bg-muted/40 px-3 py-1.5 text-sm"
          data-testid="pinned-bar"
        >
          <Pin className="size-4 shrink-0 text-primary" aria-hidden />
          <button
            type="button"
            className="min-w-0 flex-1 truncate text-start"
            onClick={() => {
              jumpTo(currentPin.id)
              setPinnedIndex((index) => index + 1)
            }}
            aria-label={t('pinned.jump')}
          >
            <span className="font-medium">
              {t('pinned.label')}
              {pinned.length > 1 ? ` ${(pinnedIndex % pinned.length) + 1}/${pinned.length}` : ''}:
            </span>{' '}
            <span className="text-muted-foreground">{toPlainText(currentPin.body)}</span>
          </button>
        </div>
      ) : null}

      <div className="relative min-h-0 flex-1">
        <div
          ref={scrollRef}
          onScroll={onScroll}
          className="absolute inset-0 overflow-x-hidden overflow-y-auto py-3"
          role="log"
          aria-label={t('view.history')}
          aria-live="polite"
          aria-relevant="additions"
          data-testid="message-list"
        >
          {!thread?.isLoaded ? (
            <div className="grid gap-3 px-4">
              <Skeleton className="h-10 w-2/3" />
              <Skeleton className="h-10 w-1/2" />
              <Skeleton className="h-10 w-3/5" />
            </div>
          ) : null}
          {thread?.isLoaded && thread.hasOlder ? (
            <p className="py-2 text-center text-xs text-muted-foreground">
              {t('view.loadingOlder')}
            </p>
          ) : null}
          {thread?.isLoaded && !messages.length && !pending.length ? (
            <p className="px-4 py-8 text-center text-sm text-muted-foreground">{t('view.empty')}</p>
          ) : null}
          {days.map((day) => (
            <Fragment key={day.dayKey}>
              <div className="sticky top-0 z-[1] my-2 flex justify-center">
                <span className="rounded-full border bg-background/90 px-3 py-0.5 text-xs text-muted-foreground backdrop-blur">
                  {dayLabel(day.date)}
                </span>
              </div>
              {day.runs.map((run) => (
                <Fragment key={run.messages[0]?.id}>
                  {run.messages[0]?.seq === firstUnreadSeq ? (
                    <div
                      ref={unreadLineRef}
                      className="my-2 flex items-center gap-3 px-4 text-xs font-medium text-primary"
                      data-testid="unread-line"
                    >
                      <span className="h-px flex-1 bg-primary/40" aria-hidden />
                      {t('view.newMessages')}
                      <span className="h-px flex-1 bg-primary/40" aria-hidden />
                    </div>
                  ) : null}
                  <div className="flex gap-2 px-2 py-1 md:px-4">
                    <Avatar
                      name={run.senderName}
                      colorKey={run.senderId}
                      size="sm"
                      isDecorative
                      className="mt-1"
                    />
                    <div className="min-w-0 flex-1">
                      <p className="ps-2 text-sm font-semibold">{run.senderName}</p>
                      {run.messages.map((message) => (
                        <MessageItem
                          key={message.id}
                          message={message}
                          conversation={conversation!}
                          myUserId={myUserId}
                          isMine={message.sender.id === myUserId}
                          isReadByOthers={othersReadSeq >= message.seq}
                          nameOf={nameOf}
                          time={timeFormat.format(new Date(message.createdAt))}
                          onReply={(target) => {
                            setEditing(null)
                            setReplyTo(target)
                          }}
                          onEdit={(target) => {
                            setReplyTo(null)
                            setEditing(target)
                          }}
                          onForward={setForwarding}
                          onOpenImage={setPreview}
                          onJumpTo={jumpTo}
                        />
                      ))}
                    </div>
                  </div>
                </Fragment>
              ))}
            </Fragment>
          ))}
          {pending.length ? (
            <div className="px-2 md:px-4">
              {pending.map((entry) => (
                <PendingItem key={entry.idempotencyKey} pending={entry} />
              ))}
            </div>
          ) : null}
        </div>
        {!isAtBottom ? (
          <Button
            size="icon"
            variant="outline"
            className="absolute end-4 bottom-3 rounded-full shadow-md"
            onClick={scrollToBottom}
            aria-label={t('view.toLatest')}
          >
            <ArrowDown aria-hidden />
          </Button>
        ) : null}
      </div>

      <p
        className="h-5 truncate px-4 text-xs text-muted-foreground"
        aria-live="polite"
        data-testid="typing"
      >
        {typingNames.length === 1
          ? t('typing.one', { name: typingNames[0] })
          : typingNames.length > 1
            ? t('typing.many', { names: typingNames.join(', ') })
            : ''}
      </p>

      {conversation && !conversation.canPost ? (
        <div
          className="flex items-center justify-center gap-2 border-t bg-muted/40 px-4 py-3 text-sm text-muted-foreground"
          data-testid="read-only-notice"
        >
          <Lock className="size-4 shrink-0" aria-hidden />
          {t('view.readOnly')}
        </div>
      ) : conversation ? (
        <Composer
          conversationId={conversationId}
          members={members}
          myUserId={myUserId}
          maxBytes={attachmentMaxBytes}
          replyTo={replyTo}
          editing={editing}
          onDone={() => {
            setReplyTo(null)
            setEditing(null)
          }}
          onSent={() => {
            setIsAtBottom(true)
            requestAnimationFrame(scrollToBottom)
          }}
        />
      ) : null}

      <ForwardDialog message={forwarding} onClose={() => setForwarding(null)} />
      <ImagePreviewDialog attachment={preview} onClose={() => setPreview(null)} />
      {conversation && conversation.kind !== 'direct' ? (
        <MembersDialog
          open={isMembersOpen}
          onOpenChange={setIsMembersOpen}
          conversation={conversation}
          members={members}
          myUserId={myUserId}
        />
      ) : null}
    </section>
  )
}
