import { Worker } from 'bullmq'
import nodemailer from 'nodemailer'
import { loadEnvOrExit, WorkersEnvSchema } from '#core/env.ts'
import { sendEmailJob } from '#core/jobs/email.ts'
import { bullPrefix } from '#core/jobs/queues.ts'
import { createLogger } from '#core/logger.ts'
import { createRedis } from '#core/redis.ts'
import { createSendEmailHandler } from './jobs/send-email.ts'

const env = loadEnvOrExit(WorkersEnvSchema, 'workers')
const log = createLogger({ name: 'workers', level: env.LOG_LEVEL })
const connection = createRedis(env.REDIS_URL)
const transporter = nodemailer.createTransport(env.SMTP_URL)
const prefix = bullPrefix(env.REDIS_PREFIX)

const workers = [
  new Worker(
    sendEmailJob.queue,
    createSendEmailHandler({ transporter, from: env.MAIL_FROM, log }),
    {
      connection,
      prefix,
      concurrency: env.WORKER_CONCURRENCY,
    },
  ),
]
for (const worker of workers) {
  worker.on('failed', (job, error) =>
    log.warn(
      { queue: worker.name, jobId: job?.id, attempts: job?.attemptsMade, err: error },
      'job failed',
    ),
  )
  worker.on('error', (error) => log.error({ queue: worker.name, err: error }, 'worker error'))
}
log.info({ queues: workers.map((w) => w.name) }, 'workers started')

let stopping = false
async function shutdown(signal: string) {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'draining jobs')
  await Promise.all(workers.map((worker) => worker.close()))
  transporter.close()
  connection.disconnect()
  process.exit(0)
}
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGTERM', () => void shutdown('SIGTERM'))
