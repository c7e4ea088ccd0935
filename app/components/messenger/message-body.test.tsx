// The XSS corpus renders as text: no element, attribute or URL scheme from a message reaches the DOM.
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { MessageBody } from './message-body.tsx'

export const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg/onload=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JAVASCRIPT:alert(1))',
  '[click](  javascript:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[x](https://ok.example" onmouseover="alert(1))',
  '**<b onclick=alert(1)>bold</b>**',
  '`<iframe src=javascript:alert(1)>`',
  '```\n</code></pre><script>alert(1)</script>\n```',
  '<a href="javascript:alert(1)">x</a>',
  'javascript:alert(1)',
  '"><img src=x onerror=alert(1)>',
  '{{constructor.constructor("alert(1)")()}}',
]

describe('MessageBody', () => {
  it.each(XSS_CORPUS)('renders %s inert', (source) => {
    const html = renderToStaticMarkup(<MessageBody source={source} />)
    expect(html).not.toMatch(/<(script|img|svg|iframe|b)[\s>/]/i)
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
