import { describe, expect, it } from 'vitest'
import { extractLinks, splitLinks } from './mail-links.ts'

describe('splitLinks', () => {
  it('cuts text around links and keeps every character', () => {
    const text = 'Hello!\nConfirm: https://app.test/verify?token=abc&x=1\nThanks'
    const parts = splitLinks(text)
    expect(parts).toEqual([
      { type: 'text', value: 'Hello!\nConfirm: ' },
      { type: 'link', value: 'https://app.test/verify?token=abc&x=1' },
      { type: 'text', value: '\nThanks' },
    ])
    expect(parts.map((part) => part.value).join('')).toBe(text)
  })

  it('leaves sentence punctuation after a link out of it', () => {
    expect(splitLinks('Open http://localhost:3000/invitations/42.')).toEqual([
      { type: 'text', value: 'Open ' },
      { type: 'link', value: 'http://localhost:3000/invitations/42' },
      { type: 'text', value: '.' },
    ])
    expect(splitLinks('(see https://a.test/x)')[1]).toEqual({
      type: 'link',
      value: 'https://a.test/x',
    })
  })

  it('returns plain text as one piece and nothing for nothing', () => {
    expect(splitLinks('no links here')).toEqual([{ type: 'text', value: 'no links here' }])
    expect(splitLinks('')).toEqual([])
  })

  it('finds several links, also back to back with text', () => {
    const parts = splitLinks('a https://x.test/1 b https://x.test/2')
    expect(parts.filter((part) => part.type === 'link').map((part) => part.value)).toEqual([
      'https://x.test/1',
      'https://x.test/2',
    ])
  })
})

describe('extractLinks', () => {
  it('collects links from text and html hrefs once each, decoding entities', () => {
    const html =
      '<a href="https://app.test/verify?token=abc&amp;x=1">Confirm</a> <a href=\'mailto:a@b.c\'>mail</a> <a href="https://other.test/">o</a>'
    expect(extractLinks('Confirm: https://app.test/verify?token=abc&x=1', html)).toEqual([
      'https://app.test/verify?token=abc&x=1',
      'https://other.test/',
    ])
  })

  it('treats numeric entities like named ones, so one link is listed once', () => {
    const text =
      'Confirm: http://localhost:3000/api/auth/verify-email?token=t&callbackURL=%2Fonboarding'
    const html =
      '<a href="http://localhost:3000/api/auth/verify-email?token=t&#38;callbackURL=%2Fonboarding">Confirm</a><a href="https://x.test/?a=1&#x26;b=2">x</a>'
    expect(extractLinks(text, html)).toEqual([
      'http://localhost:3000/api/auth/verify-email?token=t&callbackURL=%2Fonboarding',
      'https://x.test/?a=1&b=2',
    ])
  })

  it('works without html', () => {
    expect(extractLinks('nothing')).toEqual([])
  })
})
