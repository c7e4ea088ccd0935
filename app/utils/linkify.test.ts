import { describe, expect, it } from 'vitest'
import { linkify } from './linkify.ts'

describe('linkify', () => {
  it('keeps plain text as one text part', () => {
    expect(linkify('hello <b>world</b>')).toEqual([{ type: 'text', text: 'hello <b>world</b>' }])
  })

  it('finds http and https links between text', () => {
    expect(linkify('see https://example.com/a?b=1#c and http://x.test now')).toEqual([
      { type: 'text', text: 'see ' },
      { type: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { type: 'text', text: ' and ' },
      { type: 'link', text: 'http://x.test', href: 'http://x.test/' },
      { type: 'text', text: ' now' },
    ])
  })

  it('leaves sentence punctuation and an enclosing parenthesis out of the link', () => {
    expect(linkify('(docs: https://example.com/page).')).toEqual([
      { type: 'text', text: '(docs: ' },
      { type: 'link', text: 'https://example.com/page', href: 'https://example.com/page' },
      { type: 'text', text: ').' },
    ])
    expect(linkify('https://en.wikipedia.org/wiki/Foo_(bar)')[0]).toMatchObject({
      type: 'link',
      text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
    })
  })

  it('never links other schemes or markup', () => {
    for (const text of [
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '<img src=x onerror=alert(1)>',
      'ftp://example.com',
    ]) {
      expect(
        linkify(text).every((part) => part.type === 'text'),
        text,
      ).toBe(true)
    }
    // A quote ends the link, so an attribute cannot ride along.
    expect(linkify('https://a.test/"onmouseover="alert(1)')[0]).toEqual({
      type: 'link',
      text: 'https://a.test/',
      href: 'https://a.test/',
    })
  })
})
