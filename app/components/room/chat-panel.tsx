// The meeting chat: a side panel on wide screens, a full-screen sheet on phones (like the
// participants panel). Messages are plain text with links (chat-message-list.tsx).
import { Loader2, SendHorizontal, X } from 'lucide-react'
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ChatMessageList, type ChatListItem } from '#app/components/chat/chat-message-list.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Textarea } from '#app/components/ui/textarea.tsx'
import type { MeetingChatState } from '#app/media/meeting-chat.ts'
import { CHAT_MESSAGE_MAX_CHARS } from '#core/protocol/chat.ts'

// Within this many pixels of the end, a new message scrolls the list; further up, the reader stays.
const STICK_TO_BOTTOM_PX = 80

type ChatPanelProps = {
  state: MeetingChatState
  myUserId: string
  canSend: boolean
  onSend: (text: string) => boolean
  onRetry: (idempotencyKey: string) => void
  onClose: () => void
}

export function ChatPanel({ state, myUserId, canSend, onSend, onRetry, onClose }: ChatPanelProps) {
  const { t, i18n } = useTranslation('chat')
  const [draft, setDraft] = useState('')
  const listRef = useRef<HTMLDivElement>(null)
  const isAtBottom = useRef(true)
  const time = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short' }),
    [i18n.language],
  )

  const items: ChatListItem[] = [
    ...state.messages.map((message) => ({
      key: message.id,
      senderId: message.senderId,
      senderName: message.senderName,
      body: message.body,
      time: time.format(new Date(message.createdAt)),
      isMine: message.senderId === myUserId,
      data: {
        'data-status': 'sent',
        'data-via': message.via,
        'data-seq': String(message.seq),
      },
    })),
    ...state.pending.map((message) => ({
      key: message.idempotencyKey,
      senderId: myUserId,
      senderName: t('you'),
      body: message.body,
      time: time.format(new Date(message.createdAt)),
      isMine: true,
      data: { 'data-status': message.status === 'failed' ? 'failed' : 'pending' },
      footer:
        message.status === 'failed' ? (
          <p className="flex flex-wrap items-center gap-2 text-xs text-destructive">
            {t('failed', { reason: message.error ?? '' })}
            <Button
              type="button"
              variant="link"
              size="sm"
              className="h-auto p-0 text-xs"
              onClick={() => onRetry(message.idempotencyKey)}
            >
              {t('retry')}
            </Button>
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">{t('sending')}</p>
        ),
    })),
  ]

  const count = items.length
  useEffect(() => {
    const list = listRef.current
    if (list && isAtBottom.current) list.scrollTop = list.scrollHeight
  }, [count])

  const over = draft.trim().length - CHAT_MESSAGE_MAX_CHARS
  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    if (!canSend || over > 0) return
    // Sending jumps to the newest message, wherever the reader was.
    isAtBottom.current = true
    if (onSend(draft)) setDraft('')
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event)
  }

  return (
    <aside
      aria-labelledby="chat-title"
      data-testid="chat-panel"
      data-channel={state.channel}
      className="fixed inset-0 z-40 flex flex-col bg-background text-foreground sm:static sm:z-auto sm:w-80 sm:shrink-0 sm:rounded-xl sm:border"
    >
      <header className="flex items-center justify-between gap-2 border-b px-4 py-2 pt-[max(0.5rem,env(safe-area-inset-top))]">
        <h2 id="chat-title" className="font-semibold">
          {t('title')}
        </h2>
        <Button type="button" variant="ghost" size="icon" aria-label={t('close')} onClick={onClose}>
          <X aria-hidden />
        </Button>
      </header>
      <div
        ref={listRef}
        data-testid="chat-messages"
        role="log"
        aria-live="polite"
        onScroll={(event) => {
          const list = event.currentTarget
          isAtBottom.current =
            list.scrollHeight - list.scrollTop - list.clientHeight < STICK_TO_BOTTOM_PX
        }}
        className="min-h-0 flex-1 overflow-y-auto p-3"
      >
        {count > 0 ? (
          <ChatMessageList items={items} youLabel={t('you')} />
        ) : state.isHistoryLoaded ? (
          <p className="py-8 text-center text-sm text-muted-foreground">{t('empty')}</p>
        ) : (
          <p className="flex items-center justify-center gap-2 py-8 text-sm text-muted-foreground">
            <Loader2 className="size-4 animate-spin" aria-hidden />
            {t('loading')}
          </p>
        )}
      </div>
      <form
        onSubmit={submit}
        className="flex flex-col gap-1 border-t p-2 pb-[max(0.5rem,env(safe-area-inset-bottom))]"
      >
        {canSend ? null : (
          <p data-testid="chat-disabled" className="px-1 text-xs text-muted-foreground">
            {t('disabled')}
          </p>
        )}
        <div className="flex items-end gap-2">
          <Textarea
            data-testid="chat-input"
            aria-label={t('inputLabel')}
            placeholder={t('placeholder')}
            value={draft}
            disabled={!canSend}
            rows={1}
            className="max-h-32 min-h-10 resize-none"
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={onKeyDown}
          />
          <Button
            type="submit"
            data-testid="chat-send"
            size="icon"
            aria-label={t('send')}
            title={t('send')}
            disabled={!canSend || !draft.trim() || over > 0}
          >
            <SendHorizontal aria-hidden />
          </Button>
        </div>
        {over > 0 ? (
          <p role="alert" className="px-1 text-xs text-destructive">
            {t('tooLong', { count: over })}
          </p>
        ) : null}
      </form>
    </aside>
  )
}
