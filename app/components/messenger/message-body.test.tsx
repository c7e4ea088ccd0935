// The XSS corpus renders as text: no element, attribute or URL scheme from a message reaches the DOM.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { XSS_CORPUS } from '#tests/fixtures/xss-corpus.ts'
import { MessageBody } from './message-body.tsx'

describe('MessageBody', () => {
  it.each(XSS_CORPUS)('renders %s inert', (source) => {
    const html = renderToStaticMarkup(<MessageBody source={source} />)
    expect(html).not.toMatch(/<(script|img|svg|iframe|b|details)[\s>/]/i)
    // Only real tags can carry attributes: escaped text shows up as &lt;…
    expect(html).not.toMatch(/<[^>]*\son\w+=/i)
    expect(html).not.toMatch(/href="(?!https?:|mailto:)/i)
  })

  it('links open in a new tab without an opener', () => {
    const html = renderToStaticMarkup(<MessageBody source="[site](https://example.com)" />)
    expect(html).toContain(
      '<a href="https://example.com/" target="_blank" rel="noopener noreferrer"',
    )
  })

  it('renders the markup as elements', () => {
    const html = renderToStaticMarkup(<MessageBody source={'**b** *i* `c`\n- one\n```\nx\n```'} />)
    expect(html).toContain('<strong>b</strong>')
    expect(html).toContain('<em>i</em>')
    expect(html).toMatch(/<code[^>]*>c<\/code>/)
    expect(html).toMatch(/<ul[^>]*><li>one<\/li><\/ul>/)
    expect(html).toContain('<pre')
  })
})
