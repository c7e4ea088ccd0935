// Development/test SMTP server: stores every message in Redis so /dev/mail can list it and tests can
// follow the links in it. Never started in production (see server/main.ts).
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { z } from 'zod'
import type { Logger } from '#core/logger.ts'
import type { Redis } from '#core/redis.ts'

const MAX_STORED = 500

export const CaughtMailSchema = z.object({
  id: z.string(),
  to: z.array(z.string()),
  from: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  receivedAt: z.string(),
})
export type CaughtMail = z.infer<typeof CaughtMailSchema>

const mailKey = (prefix: string) => `${prefix}dev:mail`

export function startMailCatcher(options: {
  port: number
  host?: string
  redis: Redis
  prefix: string
  log: Logger
}) {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    size: 5 * 1024 * 1024,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (parsed) => {
          const mail: CaughtMail = {
            id: crypto.randomUUID(),
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            receivedAt: new Date().toISOString(),
          }
          await options.redis
            .multi()
            .lpush(mailKey(options.prefix), JSON.stringify(mail))
            .ltrim(mailKey(options.prefix), 0, MAX_STORED - 1)
            .exec()
          options.log.info({ to: mail.to, subject: mail.subject }, 'mail caught')
          callback()
        })
        .catch((error: Error) => callback(error))
    },
  })
  server.listen(options.port, options.host ?? '127.0.0.1')
  options.log.info({ port: options.port }, 'development SMTP catcher listening')
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** Newest first; `to` filters by recipient. */
export async function listCaughtMail(
  redis: Redis,
  prefix: string,
  to?: string,
): Promise<CaughtMail[]> {
  const rows = await redis.lrange(mailKey(prefix), 0, MAX_STORED - 1)
  const mails = rows.map((row) => CaughtMailSchema.parse(JSON.parse(row)))
  return to ? mails.filter((mail) => mail.to.includes(to.toLowerCase())) : mails
}
