// A message body as React elements from the markdown subset's tree: text is always a text node,
// links only http(s)/mailto (checked by the parser) and open in a new tab without an opener.
import { Fragment, useMemo, type ReactNode } from 'react'
import { parseMarkdown, type Inline } from '#app/messenger/markdown.ts'
import { cn } from '#app/utils/cn.ts'

function renderInline(nodes: Inline[], keyPrefix: string): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${keyPrefix}.${index}`
    switch (node.type) {
      case 'text':
        return <Fragment key={key}>{node.text}</Fragment>
      case 'strong':
        return <strong key={key}>{renderInline(node.children, key)}</strong>
      case 'em':
        return <em key={key}>{renderInline(node.children, key)}</em>
      case 'code':
        return (
          <code key={key} className="rounded bg-muted px-1 py-0.5 font-mono text-[0.85em]">
            {node.text}
          </code>
        )
      case 'link':
        return (
          <a
            key={key}
            href={node.href}
            target="_blank"
            rel="noopener noreferrer"
            className="break-words text-primary underline underline-offset-2"
          >
            {renderInline(node.children, key)}
          </a>
        )
      case 'mention':
        return (
          <span key={key} className="rounded bg-primary/10 px-0.5 font-medium text-primary">
            {node.text}
          </span>
        )
    }
  })
}

export type MessageBodyProps = {
  source: string
  /** Names of the people the message mentions (highlighted whole). */
  mentionNames?: string[]
  className?: string
}

export function MessageBody({ source, mentionNames, className }: MessageBodyProps) {
  const namesKey = mentionNames?.join('\n') ?? ''
  const blocks = useMemo(
    () => parseMarkdown(source, { mentionNames: namesKey ? namesKey.split('\n') : [] }),
    [source, namesKey],
  )
  return (
    <div className={cn('grid gap-1 text-sm break-words whitespace-pre-wrap', className)}>
      {blocks.map((block, index) => {
        const key = String(index)
        if (block.type === 'codeBlock') {
          return (
            <pre
              key={key}
              className="overflow-x-auto rounded-md bg-muted p-2 font-mono text-xs whitespace-pre"
            >
              <code>{block.text}</code>
            </pre>
          )
        }
        if (block.type === 'list') {
          const List = block.isOrdered ? 'ol' : 'ul'
          return (
            <List
              key={key}
              className={cn(
                'ps-5 whitespace-normal',
                block.isOrdered ? 'list-decimal' : 'list-disc',
              )}
            >
              {block.items.map((item, itemIndex) => (
                <li key={itemIndex}>{renderInline(item, `${key}.${itemIndex}`)}</li>
              ))}
            </List>
          )
        }
        return (
          <p key={key}>
            {block.lines.map((line, lineIndex) => (
              <Fragment key={lineIndex}>
                {lineIndex > 0 ? <br /> : null}
                {renderInline(line, `${key}.${lineIndex}`)}
              </Fragment>
            ))}
          </p>
        )
      })}
    </div>
  )
}
