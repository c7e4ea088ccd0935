import { UnrecoverableError, type Job } from 'bullmq'
import type { Transporter } from 'nodemailer'
import { renderEmail } from '#core/email/templates.ts'
import { sendEmailJob } from '#core/jobs/email.ts'
import type { Logger } from '#core/logger.ts'

export function createSendEmailHandler(options: {
  transporter: Transporter
  from: string
  log: Logger
}) {
  return async (job: Job): Promise<{ messageId: string }> => {
    // An invalid payload can never succeed: fail it without retries.
    const parsed = sendEmailJob.schema.safeParse(job.data)
    if (!parsed.success) {
      throw new UnrecoverableError(`invalid ${sendEmailJob.name} payload: ${parsed.error.message}`)
    }
    const email = renderEmail(parsed.data)
    const info = await options.transporter.sendMail({
      from: options.from,
      to: parsed.data.to,
      ...email,
    })
    options.log.info({ jobId: job.id, template: parsed.data.template }, 'email sent')
    return { messageId: info.messageId }
  }
}
