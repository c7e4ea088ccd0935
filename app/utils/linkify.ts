// Chat text as plain text with http(s) links found in it: the UI renders the parts as text nodes
// and <a> elements, never as HTML, so nothing a sender types can become markup.
export type TextPart = { type: 'text'; text: string } | { type: 'link'; text: string; href: string }

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi
// Sentence punctuation right after a link belongs to the sentence.
const TRAILING_PUNCTUATION = /[.,;:!?]+$/

function trimLink(candidate: string): string {
  let link = candidate.replace(TRAILING_PUNCTUATION, '')
  // "(see https://x.example/a)" — the closing parenthesis is the sentence's unless the link opened one.
  while (link.endsWith(')') && count(link, '(') < count(link, ')')) {
    link = link.slice(0, -1).replace(TRAILING_PUNCTUATION, '')
  }
  return link
}

const count = (text: string, char: string) => text.split(char).length - 1

function safeHref(link: string): string | null {
  try {
    const url = new URL(link)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  } catch {
    return null
  }
}

export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  const pushText = (value: string) => {
    if (!value) return
    const previous = parts.at(-1)
    if (previous?.type === 'text') previous.text += value
    else parts.push({ type: 'text', text: value })
  }
  for (const match of text.matchAll(URL_PATTERN)) {
    const link = trimLink(match[0])
    const href = safeHref(link)
    const start = match.index
    pushText(text.slice(last, start))
    if (href) parts.push({ type: 'link', text: link, href })
    else pushText(link)
    last = start + link.length
  }
  pushText(text.slice(last))
  return parts
}
