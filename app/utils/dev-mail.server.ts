// /dev/mail and /dev/mail.json: the development SMTP catcher's inbox. Outside development (or when
// this process runs no catcher) both answer 404, exactly like a page that does not exist.
import type { AppLoadContext } from '@remix-run/node'
import { listCaughtMail } from './services.server.ts'

export function requireMailCatcher(context: AppLoadContext): void {
  const { env } = context.app
  if (env.MAIL_CATCHER_PORT === undefined || env.NODE_ENV === 'production')
    throw new Response('Not found', { status: 404 })
}

/** Newest first; `to` (an address, any case) filters by recipient. */
export async function listDevMail(context: AppLoadContext, to: string | null) {
  requireMailCatcher(context)
  const mails = await listCaughtMail(
    context.app.redis,
    context.app.env.REDIS_PREFIX,
    to?.trim() || undefined,
  )
  return mails.map(({ id, to, from, subject, text, html, receivedAt }) => ({
    id,
    to,
    from,
    subject,
    text,
    html,
    receivedAt,
  }))
}
