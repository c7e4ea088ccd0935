// Transactional emails in Russian and English. Plain text plus a minimal, escaped HTML version.
import type { EmailTemplate, SendEmailPayload } from '../jobs/email.ts'

type Strings = { subject: string; intro: string; action: string; outro: string }
type Data = SendEmailPayload['data']

const copy: Record<'ru' | 'en', Record<EmailTemplate, (data: Data) => Strings>> = {
  en: {
    'verify-email': (d) => ({
      subject: 'Confirm your email for Vstrecha',
      intro: `Hello${d.name ? `, ${d.name}` : ''}! Please confirm your email address to finish signing up.`,
      action: 'Confirm email',
      outro: 'If you did not sign up for Vstrecha, ignore this message.',
    }),
    'reset-password': (d) => ({
      subject: 'Reset your Vstrecha password',
      intro: `Hello${d.name ? `, ${d.name}` : ''}! Someone asked to reset the password of your account.`,
      action: 'Choose a new password',
      outro:
        'If it was not you, ignore this message: your password stays the same. The link is valid for one hour.',
    }),
    'magic-link': () => ({
      subject: 'Your Vstrecha sign-in link',
      intro: 'Use this link to sign in to Vstrecha. It works once and expires in 5 minutes.',
      action: 'Sign in',
      outro: 'If you did not ask for it, ignore this message.',
    }),
    'org-invitation': (d) => ({
      subject: `${d.inviterName ?? 'A colleague'} invited you to ${d.organizationName ?? 'an organization'} on Vstrecha`,
      intro: `${d.inviterName ?? 'A colleague'} invited you to join ${d.organizationName ?? 'their organization'} on Vstrecha: meetings, chat and more.`,
      action: 'Accept the invitation',
      outro: 'The invitation expires in 48 hours.',
    }),
  },
  ru: {
    'verify-email': (d) => ({
      subject: 'Подтвердите почту для Встречи',
      intro: `Здравствуйте${d.name ? `, ${d.name}` : ''}! Подтвердите адрес почты, чтобы завершить регистрацию.`,
      action: 'Подтвердить почту',
      outro: 'Если вы не регистрировались во Встрече, просто проигнорируйте это письмо.',
    }),
    'reset-password': (d) => ({
      subject: 'Сброс пароля во Встрече',
      intro: `Здравствуйте${d.name ? `, ${d.name}` : ''}! Кто-то запросил сброс пароля вашей учётной записи.`,
      action: 'Задать новый пароль',
      outro:
        'Если это были не вы, проигнорируйте письмо: пароль останется прежним. Ссылка действует один час.',
    }),
    'magic-link': () => ({
      subject: 'Ссылка для входа во Встречу',
      intro: 'Войдите во Встречу по этой ссылке. Она одноразовая и действует 5 минут.',
      action: 'Войти',
      outro: 'Если вы не запрашивали ссылку, проигнорируйте письмо.',
    }),
    'org-invitation': (d) => ({
      subject: `${d.inviterName ?? 'Коллега'} приглашает вас в ${d.organizationName ?? 'организацию'} во Встрече`,
      intro: `${d.inviterName ?? 'Коллега'} приглашает вас в ${d.organizationName ?? 'свою организацию'} во Встрече: встречи, чаты и не только.`,
      action: 'Принять приглашение',
      outro: 'Приглашение действует 48 часов.',
    }),
  },
}

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

export function renderEmail(payload: SendEmailPayload): {
  subject: string
  text: string
  html: string
} {
  const s = copy[payload.locale][payload.template](payload.data)
  const url = payload.data.url
  const text = `${s.intro}\n\n${s.action}: ${url}\n\n${s.outro}\n`
  const html = `<!doctype html><html lang="${payload.locale}"><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111">
<p>${escapeHtml(s.intro)}</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;padding:10px 16px;background:#4f46e5;color:#fff;border-radius:8px;text-decoration:none">${escapeHtml(s.action)}</a></p>
<p style="color:#555;font-size:13px">${escapeHtml(s.outro)}<br>${escapeHtml(url)}</p>
</body></html>`
  return { subject: s.subject, text, html }
}
