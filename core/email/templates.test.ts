import { describe, expect, it } from 'vitest'
import { renderEmail } from './templates.ts'

describe('renderEmail', () => {
  it('renders every template in both languages with the link in text and HTML', () => {
    for (const locale of ['ru', 'en'] as const) {
      for (const template of [
        'verify-email',
        'reset-password',
        'magic-link',
        'org-invitation',
      ] as const) {
        const url = `https://vstrecha.example/${template}?token=abc&x=1`
        const email = renderEmail({
          version: 1,
          template,
          locale,
          to: 'a@example.com',
          data: { url, name: 'Анна' },
        })
        expect(email.subject.length, `${locale}/${template}`).toBeGreaterThan(5)
        expect(email.text).toContain(url)
        expect(email.html).toContain('https://vstrecha.example/')
        expect(email.html).toContain(`lang="${locale}"`)
      }
    }
  })

  it('writes Russian emails in Russian', () => {
    const email = renderEmail({
      version: 1,
      template: 'verify-email',
      locale: 'ru',
      to: 'a@example.com',
      data: { url: 'https://x.example/v' },
    })
    expect(email.subject).toBe('Подтвердите почту для Встречи')
  })

  it('escapes names in HTML', () => {
    const email = renderEmail({
      version: 1,
      template: 'org-invitation',
      locale: 'en',
      to: 'a@example.com',
      data: {
        url: 'https://x.example/i',
        inviterName: '<script>alert(1)</script>',
        organizationName: 'A&B',
      },
    })
    expect(email.html).not.toContain('<script>')
    expect(email.html).toContain('&#60;script&#62;')
    expect(email.html).toContain('A&#38;B')
  })
})
