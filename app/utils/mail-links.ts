// Finds the links in a caught email so /dev/mail can make them clickable (verification, magic and
// invitation links are what a developer wants to follow).

export type TextPart = { type: 'text'; value: string } | { type: 'link'; value: string }

const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/g
// Sentence punctuation right after a URL ("open https://x/y.") is not part of it.
const TRAILING_PUNCTUATION = /[.,;:!?)\]}»]+$/

function trimUrl(url: string): string {
  return url.replace(TRAILING_PUNCTUATION, '')
}

/** Plain text cut into text and link pieces, in order; joining the values gives the text back. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = trimUrl(match[0])
    if (!url.match(/^https?:\/\/./)) continue
    const start = match.index
    if (start > last) parts.push({ type: 'text', value: text.slice(last, start) })
    parts.push({ type: 'link', value: url })
    last = start + url.length
  }
  if (last < text.length) parts.push({ type: 'text', value: text.slice(last) })
  return parts
}

const namedEntities: Record<string, string> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' }

/** The entities mail templates put in href attributes (`&amp;`, `&#38;`, `&#x26;`…). */
function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body.startsWith('#')) {
      const code =
        body[1] === 'x' || body[1] === 'X'
          ? parseInt(body.slice(2), 16)
          : parseInt(body.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : entity
    }
    return namedEntities[body.toLowerCase()] ?? entity
  })
}

/** Every distinct http(s) link of the text body and of the HTML body's href attributes, first seen first. */
export function extractLinks(text: string, html = ''): string[] {
  const links = splitLinks(text)
    .filter((part) => part.type === 'link')
    .map((part) => part.value)
  for (const match of html.matchAll(/href\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) {
    const href = decodeEntities((match[1] ?? match[2] ?? '').trim())
    if (/^https?:\/\/./i.test(href)) links.push(href)
  }
  return [...new Set(links)]
}
