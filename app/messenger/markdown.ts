// The messenger's markdown subset, parsed into a small tree that React renders as elements (never
// as HTML): **bold**, *italic* / _italic_, `code`, ``` code blocks ```, [links](https://…), bare
// http(s) links, "- " / "1. " lists and @mentions. Anything else stays literal text.

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'strong'; children: Inline[] }
  | { type: 'em'; children: Inline[] }
  | { type: 'code'; text: string }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'mention'; text: string }

export type Block =
  /** Lines of one paragraph; rendered with line breaks between them. */
  | { type: 'paragraph'; lines: Inline[][] }
  | { type: 'codeBlock'; text: string }
  | { type: 'list'; isOrdered: boolean; items: Inline[][] }

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

/** The link target when it is an absolute http(s) or mailto URL, otherwise null (shown as text). */
export function safeHref(raw: string): string | null {
  const trimmed = raw.trim()
  // Control characters and whitespace inside a URL are how "java\tscript:" tricks start.
  // eslint-disable-next-line no-control-regex
  if (!trimmed || /[\u0000-\u0020\u007f]/.test(trimmed)) return null
  let url: URL
  try {
    url = new URL(trimmed)
  } catch {
    return null
  }
  if (!SAFE_PROTOCOLS.has(url.protocol)) return null
  return url.href
}

const BULLET = /^\s*[-*•]\s+(.*)$/
const ORDERED = /^\s*\d{1,3}[.)]\s+(.*)$/
const FENCE = /^\s*```/

export type ParseOptions = {
  /** Display names of the people a message mentions: "@Анна Иванова" is one mention, spaces and all. */
  mentionNames?: string[]
}

export function parseMarkdown(source: string, options: ParseOptions = {}): Block[] {
  const names = [...(options.mentionNames ?? [])]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let paragraph: Inline[][] = []
  const flushParagraph = () => {
    if (paragraph.length) blocks.push({ type: 'paragraph', lines: paragraph })
    paragraph = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (FENCE.test(line)) {
      flushParagraph()
      const code: string[] = []
      // A one-line block: ```code```
      const rest = line.replace(FENCE, '')
      const closeOnSameLine = rest.indexOf('```')
      if (closeOnSameLine >= 0) {
        blocks.push({ type: 'codeBlock', text: rest.slice(0, closeOnSameLine) })
        continue
      }
      // The rest of the opening line is the language hint; it is dropped.
      i++
      while (i < lines.length && !FENCE.test(lines[i] ?? '')) code.push(lines[i++] ?? '')
      blocks.push({ type: 'codeBlock', text: code.join('\n') })
      continue
    }
    const bullet = BULLET.exec(line)
    const ordered = bullet ? null : ORDERED.exec(line)
    if (bullet || ordered) {
      flushParagraph()
      const isOrdered = Boolean(ordered)
      const pattern = isOrdered ? ORDERED : BULLET
      const items: Inline[][] = []
      while (i < lines.length) {
        const match = pattern.exec(lines[i] ?? '')
        if (!match) break
        items.push(parseInline(match[1] ?? '', 0, names))
        i++
      }
      i--
      blocks.push({ type: 'list', isOrdered, items })
      continue
    }
    if (line.trim() === '') {
      flushParagraph()
      continue
    }
    paragraph.push(parseInline(line, 0, names))
  }
  flushParagraph()
  return blocks
}

// A bare link ends at whitespace; trailing punctuation belongs to the sentence, not the URL.
const BARE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"'`]+/i
const TRAILING_PUNCTUATION = /[.,;:!?)\]}»"']+$/
const MENTION = /^@[\p{L}\p{N}_.-]*[\p{L}\p{N}_]/u

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}_]/u.test(char)
}

/** Inline markup of one line. `depth` stops pathological nesting. */
export function parseInline(text: string, depth = 0, names: string[] = []): Inline[] {
  const out: Inline[] = []
  let buffer = ''
  const pushText = (value: string) => {
    buffer += value
  }
  const flush = () => {
    if (buffer) out.push({ type: 'text', text: buffer })
    buffer = ''
  }
  let i = 0
  while (i < text.length) {
    const char = text[i]
    const rest = text.slice(i)
    const before = text[i - 1]

    if (char === '\\' && i + 1 < text.length && /[\\`*_[\]()@]/.test(text[i + 1] ?? '')) {
      pushText(text[i + 1] ?? '')
      i += 2
      continue
    }

    if (char === '`') {
      const close = text.indexOf('`', i + 1)
      if (close > i + 1) {
        flush()
        out.push({ type: 'code', text: text.slice(i + 1, close) })
        i = close + 1
        continue
      }
    }

    if (depth < 4 && rest.startsWith('**')) {
      const close = text.indexOf('**', i + 2)
      if (close > i + 2 && !/\s/.test(text[i + 2] ?? '')) {
        flush()
        out.push({
          type: 'strong',
          children: parseInline(text.slice(i + 2, close), depth + 1, names),
        })
        i = close + 2
        continue
      }
    }

    if (depth < 4 && (char === '*' || char === '_') && !(char === '_' && isWordChar(before))) {
      const next = text[i + 1]
      if (next && next !== char && !/\s/.test(next)) {
        let close = text.indexOf(char, i + 1)
        // `_` closes only at a word boundary, so snake_case_names stay as they are.
        while (close > 0 && char === '_' && isWordChar(text[close + 1])) {
          close = text.indexOf(char, close + 1)
        }
        if (close > i + 1 && !/\s/.test(text[close - 1] ?? '')) {
          flush()
          out.push({
            type: 'em',
            children: parseInline(text.slice(i + 1, close), depth + 1, names),
          })
          i = close + 1
          continue
        }
      }
    }

    if (char === '[' && depth < 4) {
      const match = /^\[([^\]\n]+)\]\(([^)\s]+)\)/.exec(rest)
      if (match) {
        const href = safeHref(match[2] ?? '')
        if (href) {
          flush()
          out.push({ type: 'link', href, children: parseInline(match[1] ?? '', depth + 1) })
          i += match[0].length
          continue
        }
      }
    }

    if ((char === 'h' || char === 'H' || char === 'm' || char === 'M') && !isWordChar(before)) {
      const match = BARE_URL.exec(rest)
      if (match) {
        const raw = match[0].replace(TRAILING_PUNCTUATION, '')
        const href = safeHref(raw)
        if (href && raw.length > 'https://'.length - 1) {
          flush()
          out.push({ type: 'link', href, children: [{ type: 'text', text: raw }] })
          i += raw.length
          continue
        }
      }
    }

    if (char === '@' && !isWordChar(before)) {
      const name = names.find(
        (candidate) =>
          rest.slice(1, candidate.length + 1).toLocaleLowerCase() ===
            candidate.toLocaleLowerCase() && !isWordChar(rest[candidate.length + 1]),
      )
      if (name) {
        flush()
        out.push({ type: 'mention', text: rest.slice(0, name.length + 1) })
        i += name.length + 1
        continue
      }
      const match = MENTION.exec(rest)
      if (match) {
        flush()
        out.push({ type: 'mention', text: match[0] })
        i += match[0].length
        continue
      }
    }

    pushText(char ?? '')
    i++
  }
  flush()
  return out
}

/** Plain text of a body for previews, notifications and quotes (markup removed). */
export function toPlainText(source: string): string {
  const inlineText = (nodes: Inline[]): string =>
    nodes
      .map((node) => {
        switch (node.type) {
          case 'text':
          case 'code':
          case 'mention':
            return node.text
          default:
            return inlineText(node.children)
        }
      })
      .join('')
  return parseMarkdown(source)
    .map((block) => {
      if (block.type === 'codeBlock') return block.text
      if (block.type === 'list') return block.items.map(inlineText).join(' · ')
      return block.lines.map(inlineText).join(' ')
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim()
}
