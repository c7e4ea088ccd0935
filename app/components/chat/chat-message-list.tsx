// Chat messages as plain text: links are found with linkify() and rendered as <a> elements, every
// other character as a text node (React escapes it), so no message can become markup.
import { Fragment } from 'react'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { cn } from '#app/utils/cn.ts'
import { linkify } from '#app/utils/linkify.ts'

export function LinkifiedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, index) =>
        part.type === 'link' ? (
          <a
            key={index}
            href={part.href}
            target="_blank"
            rel="noopener noreferrer"
            className="break-all underline underline-offset-2"
          >
            {part.text}
          </a>
        ) : (
          <Fragment key={index}>{part.text}</Fragment>
        ),
      )}
    </>
  )
}

export type ChatListItem = {
  key: string
  senderId: string
  senderName: string
  body: string
  time: string
  isMine: boolean
  /** data-* attributes for the tests and a status line under the text (pending, failed). */
  data?: Record<`data-${string}`, string>
  footer?: React.ReactNode
}

/** One column of messages; a sender's consecutive messages share one name line. */
export function ChatMessageList({
  items,
  youLabel,
  className,
}: {
  items: ChatListItem[]
  youLabel: string
  className?: string
}) {
  return (
    <ol className={cn('flex flex-col gap-3', className)}>
      {items.map((item, index) => {
        const previous = items[index - 1]
        const isContinued = previous?.senderId === item.senderId
        return (
          <li
            key={item.key}
            data-testid="chat-message"
            {...item.data}
            className={cn('flex gap-2', isContinued && '-mt-2')}
          >
            <div className="w-8 shrink-0">
              {isContinued ? null : (
                <Avatar name={item.senderName} colorKey={item.senderId} size="sm" isDecorative />
              )}
            </div>
            <div className="min-w-0 flex-1">
              {isContinued ? null : (
                <p className="flex items-baseline gap-2 text-sm">
                  <span className="truncate font-medium">
                    {item.isMine ? youLabel : item.senderName}
                  </span>
                  <span className="shrink-0 text-xs text-muted-foreground">{item.time}</span>
                </p>
              )}
              <p
                data-testid="chat-message-body"
                className="text-sm break-words whitespace-pre-wrap"
              >
                <LinkifiedText text={item.body} />
              </p>
              {item.footer}
            </div>
          </li>
        )
      })}
    </ol>
  )
}
