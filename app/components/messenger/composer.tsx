// Writing a message: text with Enter to send (Shift+Enter for a new line), attachments uploaded
// right away with a progress bar, emoji, @mention autocomplete from the members, reply and edit.
import { CornerUpLeft, Paperclip, Pencil, SendHorizontal, X } from 'lucide-react'
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { flushSync } from 'react-dom'
import { useTranslation } from 'react-i18next'
import { EmojiPicker } from '#app/components/messenger/emoji-picker.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { controlClassName } from '#app/components/ui/input.tsx'
import { toast } from '#app/components/ui/toast.tsx'
import { toPlainText } from '#app/messenger/markdown.ts'
import { useMessengerClient } from '#app/messenger/messenger-context.tsx'
import { formatBytes, uploadAttachment, type UploadError } from '#app/messenger/upload.ts'
import { cn } from '#app/utils/cn.ts'
import {
  MESSENGER_BODY_MAX_CHARS,
  MESSENGER_MAX_ATTACHMENTS,
  type AttachmentInfo,
  type ConversationMemberInfo,
  type MessengerMessage,
} from '#core/protocol/messenger.ts'

type UploadEntry = {
  localId: string
  name: string
  size: number
  progress: number
  status: 'uploading' | 'done' | 'failed'
  error?: string
  attachment?: AttachmentInfo
  abort?: () => void
}

export type ComposerProps = {
  conversationId: string
  members: ConversationMemberInfo[]
  myUserId: string
  /** The server's upload limit. */
  maxBytes: number
  replyTo: MessengerMessage | null
  editing: MessengerMessage | null
  onDone: () => void
  onSent: () => void
}

const MENTION_AT_CARET = /(^|\s)@([\p{L}\p{N}_.-]{0,32})$/u
const SHOW_COUNTER_FROM = MESSENGER_BODY_MAX_CHARS - 300

export function Composer({
  conversationId,
  members,
  myUserId,
  maxBytes,
  replyTo,
  editing,
  onDone,
  onSent,
}: ComposerProps) {
  const { t, i18n } = useTranslation('messenger')
  const client = useMessengerClient()
  const [text, setText] = useState('')
  const [uploads, setUploads] = useState<UploadEntry[]>([])
  const [mention, setMention] = useState<{ query: string; start: number } | null>(null)
  const [mentionIndex, setMentionIndex] = useState(0)
  const textareaRef = useRef<HTMLTextAreaElement>(null)
  const fileInputRef = useRef<HTMLInputElement>(null)
  const draftKey = `vstrecha:messenger:draft:${conversationId}`

  // A draft per conversation survives switching conversations.
  useEffect(() => {
    setText(sessionStorage.getItem(draftKey) ?? '')
    setUploads([])
  }, [draftKey])
  useEffect(() => {
    if (editing) {
      setText(editing.body)
      textareaRef.current?.focus()
    }
  }, [editing])
  useEffect(() => {
    if (replyTo) textareaRef.current?.focus()
  }, [replyTo])
  useEffect(() => {
    if (editing) return
    if (text) sessionStorage.setItem(draftKey, text)
    else sessionStorage.removeItem(draftKey)
  }, [draftKey, editing, text])

  // Grow with the text up to a few lines.
  useEffect(() => {
    const element = textareaRef.current
    if (!element) return
    element.style.height = 'auto'
    element.style.height = `${Math.min(element.scrollHeight, 192)}px`
  }, [text])

  const candidates = useMemo(() => {
    if (!mention) return []
    const query = mention.query.toLocaleLowerCase()
    return members
      .filter((member) => member.userId !== myUserId)
      .filter(
        (member) =>
          member.name
            .toLocaleLowerCase()
            .split(/\s+/)
            .some((part) => part.startsWith(query)) ||
          member.name.toLocaleLowerCase().startsWith(query) ||
          member.email.toLocaleLowerCase().startsWith(query),
      )
      .slice(0, 6)
  }, [mention, members, myUserId])

  const updateMention = (value: string, caret: number) => {
    const match = MENTION_AT_CARET.exec(value.slice(0, caret))
    if (match) {
      setMention({ query: match[2] ?? '', start: caret - (match[2]?.length ?? 0) - 1 })
      setMentionIndex(0)
    } else setMention(null)
  }

  /**
   * Replaces the text and puts the caret at `caret` right away: a frame later, a fast typist's next
   * key would already be in, and the caret would jump back before it.
   */
  const replaceText = (next: string, caret: number) => {
    flushSync(() => setText(next))
    const element = textareaRef.current
    element?.focus()
    element?.setSelectionRange(caret, caret)
  }

  const insertMention = (member: ConversationMemberInfo) => {
    if (!mention) return
    const caret = textareaRef.current?.selectionStart ?? text.length
    setMention(null)
    replaceText(
      `${text.slice(0, mention.start)}@${member.name} ${text.slice(caret)}`,
      mention.start + member.name.length + 2,
    )
  }

  const insertText = (value: string) => {
    const element = textareaRef.current
    const start = element?.selectionStart ?? text.length
    const end = element?.selectionEnd ?? text.length
    replaceText(text.slice(0, start) + value + text.slice(end), start + value.length)
  }

  const addFiles = (files: FileList | File[]) => {
    const list = [...files]
    if (uploads.length + list.length > MESSENGER_MAX_ATTACHMENTS) {
      toast({
        title: t('composer.tooManyFiles', { count: MESSENGER_MAX_ATTACHMENTS }),
        variant: 'destructive',
      })
      return
    }
    const tooLarge = t('composer.fileTooLarge', { limit: formatBytes(maxBytes, i18n.language) })
    for (const file of list) {
      const localId = crypto.randomUUID()
      const add = (entry: Pick<UploadEntry, 'status' | 'error' | 'abort'>) =>
        setUploads((current) => [
          ...current,
          { localId, name: file.name, size: file.size, progress: 0, ...entry },
        ])
      const update = (change: Partial<UploadEntry>) =>
        setUploads((current) =>
          current.map((entry) => (entry.localId === localId ? { ...entry, ...change } : entry)),
        )
      if (file.size > maxBytes) {
        add({ status: 'failed', error: tooLarge })
        continue
      }
      const upload = uploadAttachment(file, (progress) => update({ progress }))
      add({ status: 'uploading', abort: upload.abort })
      upload.promise.then(
        (attachment) => update({ status: 'done', progress: 1, attachment }),
        (error: UploadError) =>
          update({
            status: 'failed',
            error: error.status === 413 ? tooLarge : error.message || t('composer.uploadFailed'),
          }),
      )
    }
  }

  const isUploading = uploads.some((entry) => entry.status === 'uploading')
  const ready = uploads.filter((entry) => entry.status === 'done' && entry.attachment)
  const trimmed = text.trim()
  const isTooLong = trimmed.length > MESSENGER_BODY_MAX_CHARS
  const canSend = !isUploading && !isTooLong && (trimmed.length > 0 || ready.length > 0)

  const submit = async () => {
    if (!client || !canSend) return
    const mentionIds = members
      .filter((member) => member.userId !== myUserId && text.includes(`@${member.name}`))
      .map((member) => member.userId)
    if (editing) {
      try {
        const { message } = await client.request('messenger:edit', {
          messageId: editing.id,
          body: trimmed,
          mentionIds,
        })
        client.applyUpdate(message)
        setText(sessionStorage.getItem(draftKey) ?? '')
        onDone()
      } catch (error) {
        toast({
          title: t('errors.actionFailed'),
          description: (error as Error).message,
          variant: 'destructive',
        })
      }
      return
    }
    const attachments = ready.map((entry) => entry.attachment!)
    client.send({
      conversationId,
      // The server needs some text; a files-only message carries their names.
      body: trimmed || attachments.map((attachment) => attachment.name).join(', '),
      replyToId: replyTo?.id,
      replyExcerpt: replyTo ? toPlainText(replyTo.body).slice(0, 120) : undefined,
      attachmentIds: attachments.map((attachment) => attachment.id),
      attachmentNames: attachments.map((attachment) => attachment.name),
      mentionIds,
    })
    client.clearTyping(conversationId)
    setText('')
    setUploads([])
    onDone()
    onSent()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (mention && candidates.length) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        const step = event.key === 'ArrowDown' ? 1 : -1
        setMentionIndex((index) => (index + step + candidates.length) % candidates.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault()
        const chosen = candidates[mentionIndex]
        if (chosen) insertMention(chosen)
        return
      }
      if (event.key === 'Escape') {
        event.preventDefault()
        setMention(null)
        return
      }
    }
    if (event.key === 'Escape' && (editing || replyTo)) {
      event.preventDefault()
      if (editing) setText(sessionStorage.getItem(draftKey) ?? '')
      onDone()
      return
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      void submit()
    }
  }

  return (
    <div
      className="relative border-t bg-background p-2"
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        if (!event.dataTransfer.files.length || editing) return
        event.preventDefault()
        addFiles(event.dataTransfer.files)
      }}
    >
      {replyTo || editing ? (
        <div className="mb-2 flex items-start gap-2 rounded-md border-s-2 border-primary bg-muted/60 px-2 py-1 text-xs">
          {editing ? (
            <Pencil className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          ) : (
            <CornerUpLeft className="mt-0.5 size-3.5 shrink-0" aria-hidden />
          )}
          <div className="min-w-0 flex-1">
            <p className="font-medium">
              {editing
                ? t('composer.editing')
                : t('composer.replyingTo', { name: replyTo?.sender.name })}
            </p>
            <p className="truncate text-muted-foreground">
              {toPlainText((editing ?? replyTo)?.body ?? '')}
            </p>
          </div>
          <button
            type="button"
            onClick={() => {
              if (editing) setText(sessionStorage.getItem(draftKey) ?? '')
              onDone()
            }}
            aria-label={t('composer.cancel')}
            className="rounded p-0.5 hover:bg-accent"
          >
            <X className="size-4" aria-hidden />
          </button>
        </div>
      ) : null}
      {uploads.length ? (
        <ul className="mb-2 grid gap-1" aria-label={t('composer.attachments')}>
          {uploads.map((entry) => (
            <li
              key={entry.localId}
              className="flex items-center gap-2 rounded-md border px-2 py-1 text-xs"
              data-testid="upload"
              data-status={entry.status}
            >
              <Paperclip className="size-3.5 shrink-0" aria-hidden />
              <span className="min-w-0 flex-1 truncate">{entry.name}</span>
              {entry.status === 'uploading' ? (
                <progress
                  className="h-1.5 w-24 overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-muted [&::-webkit-progress-value]:bg-primary"
                  max={1}
                  value={entry.progress}
                  aria-label={t('composer.uploading', { name: entry.name })}
                />
              ) : null}
              {entry.status === 'failed' ? (
                <span className="text-destructive" role="alert">
                  {entry.error}
                </span>
              ) : (
                <span className="text-muted-foreground">
                  {formatBytes(entry.size, i18n.language)}
                </span>
              )}
              <button
                type="button"
                className="rounded p-0.5 hover:bg-accent"
                aria-label={t('composer.removeFile', { name: entry.name })}
                onClick={() => {
                  entry.abort?.()
                  setUploads((current) =>
                    current.filter((other) => other.localId !== entry.localId),
                  )
                }}
              >
                <X className="size-3.5" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {mention && candidates.length ? (
        <ul
          role="listbox"
          aria-label={t('composer.mentionSuggestions')}
          className="absolute start-2 bottom-full z-10 mb-1 w-64 max-w-[calc(100%-1rem)] overflow-hidden rounded-md border bg-popover py-1 shadow-md"
        >
          {candidates.map((member, index) => (
            <li
              key={member.userId}
              role="option"
              aria-selected={index === mentionIndex}
              className={cn(
                'cursor-pointer px-3 py-1.5 text-sm',
                index === mentionIndex && 'bg-accent',
              )}
              onMouseDown={(event) => {
                event.preventDefault()
                insertMention(member)
              }}
            >
              <span className="font-medium">{member.name}</span>{' '}
              <span className="text-xs text-muted-foreground">{member.email}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="flex items-end gap-1">
        <input
          ref={fileInputRef}
          type="file"
          multiple
          hidden
          data-testid="file-input"
          onChange={(event) => {
            if (event.target.files) addFiles(event.target.files)
            event.target.value = ''
          }}
        />
        <Button
          type="button"
          variant="ghost"
          size="icon"
          aria-label={t('composer.attach')}
          disabled={Boolean(editing)}
          onClick={() => fileInputRef.current?.click()}
        >
          <Paperclip aria-hidden />
        </Button>
        <EmojiPicker onPick={insertText} />
        <textarea
          ref={textareaRef}
          rows={1}
          value={text}
          aria-label={t('composer.label')}
          placeholder={t('composer.placeholder')}
          aria-invalid={isTooLong || undefined}
          className={cn(controlClassName, 'max-h-48 min-h-10 resize-none py-2 leading-snug')}
          onChange={(event) => {
            setText(event.target.value)
            updateMention(event.target.value, event.target.selectionStart)
            if (event.target.value) client?.typing(conversationId)
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            if (event.clipboardData.files.length && !editing) {
              event.preventDefault()
              addFiles(event.clipboardData.files)
            }
          }}
        />
        <Button
          type="button"
          size="icon"
          aria-label={editing ? t('composer.save') : t('composer.send')}
          disabled={!canSend}
          onClick={() => void submit()}
        >
          <SendHorizontal aria-hidden />
        </Button>
      </div>
      {trimmed.length > SHOW_COUNTER_FROM ? (
        <p
          className={cn(
            'mt-1 text-end text-xs',
            isTooLong ? 'text-destructive' : 'text-muted-foreground',
          )}
        >
          {t('composer.counter', { count: trimmed.length, max: MESSENGER_BODY_MAX_CHARS })}
        </p>
      ) : null}
    </div>
  )
}
