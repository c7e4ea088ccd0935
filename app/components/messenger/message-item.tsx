// One message in the conversation view: body (safe markdown), reply quote, "forwarded from",
// attachments, reactions with who reacted, delivery/read state of my own messages, and its actions.
import {
  AlertCircle,
  Check,
  CheckCheck,
  Clock,
  Copy,
  CornerUpLeft,
  Download,
  Forward,
  MoreHorizontal,
  Pencil,
  Pin,
  PinOff,
  RotateCcw,
  Trash2,
} from 'lucide-react'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { QUICK_REACTIONS } from '#app/components/messenger/emoji-picker.tsx'
import { MessageBody } from '#app/components/messenger/message-body.tsx'
import { ConfirmDialog } from '#app/components/ui/alert-dialog.tsx'
import { Button } from '#app/components/ui/button.tsx'
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from '#app/components/ui/dropdown-menu.tsx'
import { Popover, PopoverContent, PopoverTrigger } from '#app/components/ui/popover.tsx'
import { toast } from '#app/components/ui/toast.tsx'
import { toPlainText } from '#app/messenger/markdown.ts'
import { useMessengerClient } from '#app/messenger/messenger-context.tsx'
import type { PendingMessage } from '#app/messenger/state.ts'
import { formatBytes } from '#app/messenger/upload.ts'
import { cn } from '#app/utils/cn.ts'
import type {
  AttachmentInfo,
  ConversationSummary,
  MessengerMessage,
  ReactionSummary,
} from '#core/protocol/messenger.ts'

export type MessageItemProps = {
  message: MessengerMessage
  conversation: ConversationSummary
  myUserId: string
  isMine: boolean
  /** Someone else in the conversation has read up to this message. */
  isReadByOthers: boolean
  nameOf: (userId: string) => string
  time: string
  onReply: (message: MessengerMessage) => void
  onEdit: (message: MessengerMessage) => void
  onForward: (message: MessengerMessage) => void
  onOpenImage: (attachment: AttachmentInfo) => void
  onJumpTo: (messageId: string) => void
}

export function MessageItem(props: MessageItemProps) {
  const { message, conversation, isMine, time, nameOf } = props
  const { t, i18n } = useTranslation('messenger')
  const client = useMessengerClient()
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false)
  const isDeleted = Boolean(message.deletedAt)
  const mentionNames = message.mentions.map(nameOf).filter(Boolean)

  const run = async (action: () => Promise<{ message: MessengerMessage }> | undefined) => {
    try {
      const result = await action()
      if (result) client?.applyUpdate(result.message)
    } catch (error) {
      toast({
        title: t('errors.actionFailed'),
        description: (error as Error).message,
        variant: 'destructive',
      })
    }
  }
  const react = (emoji: string) => {
    const on = !message.reactions.some(
      (reaction) => reaction.emoji === emoji && reaction.userIds.includes(props.myUserId),
    )
    void run(() => client?.request('messenger:react', { messageId: message.id, emoji, on }))
  }

  const canDelete = isMine || conversation.canDeleteOthers
  const canPin = conversation.canPost || conversation.canManage

  return (
    <div
      id={`message-${message.id}`}
      data-testid="message"
      data-seq={message.seq}
      className={cn('group relative flex gap-2 rounded-md px-2 py-0.5 hover:bg-accent/40')}
    >
      <div className="min-w-0 flex-1">
        {message.forwardedFrom ? (
          <p
            className="flex items-center gap-1 text-xs text-muted-foreground"
            data-testid="forwarded-from"
          >
            <Forward className="size-3" aria-hidden />
            {message.forwardedFrom.conversationTitle
              ? t('message.forwardedFrom', {
                  sender: message.forwardedFrom.senderName,
                  conversation: message.forwardedFrom.conversationTitle,
                })
              : // A direct chat has no title to show to others.
                t('message.forwardedFromSender', { sender: message.forwardedFrom.senderName })}
          </p>
        ) : null}
        {message.replyTo ? (
          <button
            type="button"
            onClick={() => props.onJumpTo(message.replyTo!.id)}
            className="mb-0.5 block max-w-full border-s-2 border-primary/60 ps-2 text-start text-xs text-muted-foreground hover:text-foreground"
            data-testid="reply-quote"
          >
            <span className="font-medium text-foreground">{message.replyTo.senderName}</span>{' '}
            <span className="line-clamp-2 break-words">
              {message.replyTo.isDeleted
                ? t('message.deleted')
                : toPlainText(message.replyTo.excerpt)}
            </span>
          </button>
        ) : null}
        {isDeleted ? (
          <p className="text-sm text-muted-foreground italic" data-testid="message-deleted">
            {t('message.deleted')}
          </p>
        ) : (
          <MessageBody source={message.body} mentionNames={mentionNames} />
        )}
        {!isDeleted && message.attachments.length ? (
          <Attachments
            attachments={message.attachments}
            language={i18n.language}
            onOpenImage={props.onOpenImage}
          />
        ) : null}
        {message.reactions.length ? (
          <div className="mt-1 flex flex-wrap gap-1" data-testid="reactions">
            {message.reactions.map((reaction) => (
              <ReactionChip
                key={reaction.emoji}
                reaction={reaction}
                isMine={reaction.userIds.includes(props.myUserId)}
                names={reaction.userIds.map(nameOf)}
                onToggle={() => react(reaction.emoji)}
              />
            ))}
          </div>
        ) : null}
      </div>
      <div className="flex shrink-0 items-start gap-1 pt-0.5 text-[0.7rem] text-muted-foreground">
        {message.isPinned ? <Pin className="size-3" aria-label={t('message.pinned')} /> : null}
        {message.editedAt && !isDeleted ? <span>{t('message.edited')}</span> : null}
        <time dateTime={message.createdAt}>{time}</time>
        {isMine ? (
          props.isReadByOthers ? (
            <CheckCheck
              className="size-3.5 text-primary"
              aria-label={t('message.read')}
              data-testid="status-read"
            />
          ) : (
            <Check className="size-3.5" aria-label={t('message.sent')} data-testid="status-sent" />
          )
        ) : null}
        {isDeleted ? null : (
          <DropdownMenu>
            <DropdownMenuTrigger asChild>
              <Button
                variant="ghost"
                size="sm"
                className="-mt-1 h-7 px-1.5 group-focus-within:opacity-100 group-hover:opacity-100 data-[state=open]:opacity-100 md:opacity-0"
                aria-label={t('message.actions')}
              >
                <MoreHorizontal aria-hidden />
              </Button>
            </DropdownMenuTrigger>
            <DropdownMenuContent align="end" className="min-w-48">
              <div
                className="flex flex-wrap gap-0.5 p-1"
                role="group"
                aria-label={t('message.react')}
              >
                {QUICK_REACTIONS.map((emoji) => (
                  <DropdownMenuItem
                    key={emoji}
                    className="size-8 justify-center p-0 text-lg"
                    onSelect={() => react(emoji)}
                    aria-label={t('message.reactWith', { emoji })}
                  >
                    {emoji}
                  </DropdownMenuItem>
                ))}
              </div>
              <DropdownMenuSeparator />
              {conversation.canPost ? (
                <DropdownMenuItem onSelect={() => props.onReply(message)}>
                  <CornerUpLeft aria-hidden /> {t('message.reply')}
                </DropdownMenuItem>
              ) : null}
              <DropdownMenuItem onSelect={() => props.onForward(message)}>
                <Forward aria-hidden /> {t('message.forward')}
              </DropdownMenuItem>
              <DropdownMenuItem
                onSelect={() => {
                  void navigator.clipboard?.writeText(message.body).then(
                    () => toast({ title: t('message.copied') }),
                    () => {},
                  )
                }}
              >
                <Copy aria-hidden /> {t('message.copy')}
              </DropdownMenuItem>
              {canPin ? (
                <DropdownMenuItem
                  onSelect={() =>
                    void run(() =>
                      client?.request('messenger:pin', {
                        messageId: message.id,
                        on: !message.isPinned,
                      }),
                    )
                  }
                >
                  {message.isPinned ? <PinOff aria-hidden /> : <Pin aria-hidden />}
                  {message.isPinned ? t('message.unpin') : t('message.pin')}
                </DropdownMenuItem>
              ) : null}
              {isMine ? (
                <DropdownMenuItem onSelect={() => props.onEdit(message)}>
                  <Pencil aria-hidden /> {t('message.edit')}
                </DropdownMenuItem>
              ) : null}
              {canDelete ? (
                <DropdownMenuItem
                  className="text-destructive"
                  onSelect={() => setIsConfirmingDelete(true)}
                >
                  <Trash2 aria-hidden /> {t('message.delete')}
                </DropdownMenuItem>
              ) : null}
            </DropdownMenuContent>
          </DropdownMenu>
        )}
      </div>
      <ConfirmDialog
        open={isConfirmingDelete}
        onOpenChange={setIsConfirmingDelete}
        title={t('message.deleteTitle')}
        description={t('message.deleteDescription')}
        confirmLabel={t('message.delete')}
        isDestructive
        onConfirm={() =>
          void run(() => client?.request('messenger:delete', { messageId: message.id }))
        }
      />
    </div>
  )
}

/** Hover shows who reacted; a long press (phones) opens the same list. A click toggles mine. */
function ReactionChip({
  reaction,
  isMine,
  names,
  onToggle,
}: {
  reaction: ReactionSummary
  isMine: boolean
  names: string[]
  onToggle: () => void
}) {
  const { t } = useTranslation('messenger')
  const [isOpen, setIsOpen] = useState(false)
  const pressTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const longPressed = useRef(false)
  const who = names.filter(Boolean).join(', ')
  return (
    <Popover open={isOpen} onOpenChange={setIsOpen}>
      <PopoverTrigger asChild>
        <button
          type="button"
          title={who}
          aria-label={t('message.reactionLabel', {
            emoji: reaction.emoji,
            count: reaction.count,
            who,
          })}
          aria-pressed={isMine}
          data-testid="reaction"
          onPointerDown={(event) => {
            if (event.pointerType !== 'touch') return
            longPressed.current = false
            pressTimer.current = setTimeout(() => {
              longPressed.current = true
              setIsOpen(true)
            }, 450)
          }}
          onPointerUp={() => clearTimeout(pressTimer.current)}
          onPointerLeave={() => clearTimeout(pressTimer.current)}
          onContextMenu={(event) => event.preventDefault()}
          onClick={(event) => {
            // Radix opens the popover on click; here a click toggles the reaction instead.
            event.preventDefault()
            if (longPressed.current) {
              longPressed.current = false
              return
            }
            onToggle()
          }}
          className={cn(
            'inline-flex h-7 items-center gap-1 rounded-full border px-2 text-sm',
            isMine ? 'border-primary bg-primary/10' : 'bg-background hover:bg-accent',
          )}
        >
          <span aria-hidden>{reaction.emoji}</span>
          <span className="text-xs tabular-nums" aria-hidden>
            {reaction.count}
          </span>
        </button>
      </PopoverTrigger>
      <PopoverContent className="w-56 p-3 text-sm" side="top">
        <p className="mb-1 font-medium">
          {reaction.emoji} {reaction.count}
        </p>
        <p className="text-muted-foreground">{who}</p>
      </PopoverContent>
    </Popover>
  )
}

function Attachments({
  attachments,
  language,
  onOpenImage,
}: {
  attachments: AttachmentInfo[]
  language: string
  onOpenImage: (attachment: AttachmentInfo) => void
}) {
  const { t } = useTranslation('messenger')
  return (
    <div className="mt-1 flex flex-wrap gap-2">
      {attachments.map((attachment) =>
        attachment.isImage && attachment.isInline ? (
          <button
            key={attachment.id}
            type="button"
            onClick={() => onOpenImage(attachment)}
            className="overflow-hidden rounded-md border bg-muted"
            aria-label={t('attachment.preview', { name: attachment.name })}
            data-testid="image-attachment"
          >
            <img
              src={attachment.thumbnailUrl ?? attachment.url}
              alt={attachment.name}
              loading="lazy"
              width={attachment.width ?? undefined}
              height={attachment.height ?? undefined}
              className="max-h-48 w-auto max-w-[min(16rem,70vw)] object-cover"
            />
          </button>
        ) : (
          <a
            key={attachment.id}
            href={attachment.url}
            download={attachment.name}
            className="flex max-w-full items-center gap-2 rounded-md border bg-background px-3 py-2 text-sm hover:bg-accent"
            data-testid="file-attachment"
          >
            <Download className="size-4 shrink-0" aria-hidden />
            <span className="min-w-0 truncate">{attachment.name}</span>
            <span className="shrink-0 text-xs text-muted-foreground">
              {formatBytes(attachment.size, language)}
            </span>
          </a>
        ),
      )}
    </div>
  )
}

/** My message that the server has not acknowledged yet (or refused). */
export function PendingItem({ pending }: { pending: PendingMessage }) {
  const { t } = useTranslation('messenger')
  const client = useMessengerClient()
  const isFailed = pending.status === 'failed'
  return (
    <div
      className="flex gap-2 rounded-md px-2 py-0.5 opacity-80"
      data-testid="pending-message"
      data-status={pending.status}
    >
      <div className="min-w-0 flex-1">
        {pending.forwardOf ? (
          <p className="text-xs text-muted-foreground">{t('message.forwarding')}</p>
        ) : (
          <MessageBody source={pending.body} />
        )}
        {pending.attachmentNames.length ? (
          <p className="text-xs text-muted-foreground">📎 {pending.attachmentNames.join(', ')}</p>
        ) : null}
        {isFailed ? (
          <div
            className="mt-1 flex flex-wrap items-center gap-2 text-xs text-destructive"
            role="alert"
          >
            <AlertCircle className="size-3.5" aria-hidden />
            <span>{t('message.notSent', { reason: pending.error ?? '' })}</span>
            <Button
              size="sm"
              variant="outline"
              className="h-7"
              onClick={() => client?.retry(pending.idempotencyKey)}
            >
              <RotateCcw aria-hidden /> {t('message.retry')}
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="h-7"
              onClick={() => client?.discard(pending.idempotencyKey)}
            >
              {t('message.discard')}
            </Button>
          </div>
        ) : null}
      </div>
      {isFailed ? null : (
        <Clock
          className="mt-1 size-3.5 shrink-0 text-muted-foreground"
          aria-label={t('message.sending')}
        />
      )}
    </div>
  )
}
