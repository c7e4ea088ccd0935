import { Queue } from 'bullmq'
import { sendEmailJob, type SendEmailPayload } from '#core/jobs/email.ts'
import { bullPrefix, defaultJobOptions } from '#core/jobs/queues.ts'
import type { Redis } from '#core/redis.ts'

export type Queues = {
  enqueueEmail: (payload: Omit<SendEmailPayload, 'version'>) => Promise<void>
  close: () => Promise<void>
}

export function createQueues(options: { connection: Redis; redisPrefix: string }): Queues {
  const email = new Queue(sendEmailJob.queue, {
    connection: options.connection,
    prefix: bullPrefix(options.redisPrefix),
    defaultJobOptions,
  })
  return {
    async enqueueEmail(payload) {
      const job = sendEmailJob.schema.parse({ version: sendEmailJob.version, ...payload })
      await email.add(sendEmailJob.name, job)
    },
    close: () => email.close(),
  }
}
