import { describe, expect, it } from 'vitest'
import { parseInline, parseMarkdown, safeHref, toPlainText } from './markdown.ts'

describe('parseInline', () => {
  it('reads bold, italic, code, links and mentions', () => {
    expect(parseInline('**bold** *it* _it2_ `a*b` [site](https://example.com) @Анна')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: 'bold' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'it' }] },
      { type: 'text', text: ' ' },
      { type: 'em', children: [{ type: 'text', text: 'it2' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'a*b' },
      { type: 'text', text: ' ' },
      { type: 'link', href: 'https://example.com/', children: [{ type: 'text', text: 'site' }] },
      { type: 'text', text: ' ' },
      { type: 'mention', text: '@Анна' },
    ])
  })

  it('links bare URLs without the sentence punctuation', () => {
    expect(parseInline('see https://example.com/a?b=1.')).toEqual([
      { type: 'text', text: 'see ' },
      {
        type: 'link',
        href: 'https://example.com/a?b=1',
        children: [{ type: 'text', text: 'https://example.com/a?b=1' }],
      },
      { type: 'text', text: '.' },
    ])
  })

  it('leaves snake_case, lone stars and emails alone', () => {
    expect(parseInline('snake_case_name 2 * 3 a@b.c')).toEqual([
      { type: 'text', text: 'snake_case_name 2 * 3 a@b.c' },
    ])
  })

  it('keeps unsafe link targets as text', () => {
    expect(parseInline('[x](javascript:alert(1))')).toEqual([
      { type: 'text', text: '[x](javascript:alert(1))' },
    ])
    expect(parseInline('[x](data:text/html,hi)')[0]).toEqual({
      type: 'text',
      text: '[x](data:text/html,hi)',
    })
  })
})

describe('safeHref', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['http://example.com/x', 'http://example.com/x'],
    ['mailto:a@example.com', 'mailto:a@example.com'],
    ['javascript:alert(1)', null],
    ['JaVaScRiPt:alert(1)', null],
    ['java\tscript:alert(1)', null],
    ['vbscript:x', null],
    ['data:text/html;base64,PHNjcmlwdD4=', null],
    ['/relative', null],
    ['//evil.example', null],
  ])('%s → %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected)
  })
})

describe('parseMarkdown', () => {
  it('splits paragraphs, lists and code blocks', () => {
    const blocks = parseMarkdown(
      'Hello\nworld\n\n- one\n- two\n1. first\n```js\nlet a = **1**\n```',
    )
    expect(blocks.map((block) => block.type)).toEqual(['paragraph', 'list', 'list', 'codeBlock'])
    expect(blocks[0]).toMatchObject({ lines: [[{ text: 'Hello' }], [{ text: 'world' }]] })
    expect(blocks[1]).toMatchObject({
      isOrdered: false,
      items: [[{ text: 'one' }], [{ text: 'two' }]],
    })
    expect(blocks[2]).toMatchObject({ isOrdered: true })
    expect(blocks[3]).toEqual({ type: 'codeBlock', text: 'let a = **1**' })
  })

  it('an unclosed fence runs to the end', () => {
    expect(parseMarkdown('```\ncode')).toEqual([{ type: 'codeBlock', text: 'code' }])
  })

  it('plain text drops the markup', () => {
    expect(toPlainText('**Hi** [there](https://x.y)\n- a\n- b')).toBe('Hi there a · b')
  })
})

describe('mentions', () => {
  it('a known name with spaces is one mention', () => {
    expect(parseMarkdown('hi @Анна Иванова, and @bob', { mentionNames: ['Анна Иванова'] })).toEqual(
      [
        {
          type: 'paragraph',
          lines: [
            [
              { type: 'text', text: 'hi ' },
              { type: 'mention', text: '@Анна Иванова' },
              { type: 'text', text: ', and ' },
              { type: 'mention', text: '@bob' },
            ],
          ],
        },
      ],
    )
  })
})
