// The workers process validates every job payload before handling it: a malformed job fails at once
// and is not retried; a valid one is rendered and delivered over SMTP.
import { Queue, QueueEvents } from 'bullmq'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { sendEmailJob } from '#core/jobs/email.ts'
import { bullPrefix, defaultJobOptions } from '#core/jobs/queues.ts'
import { startStack, type Stack } from '#tests/fixtures/stack.ts'

let stack: Stack
let queue: Queue
let events: QueueEvents
beforeAll(async () => {
  stack = await startStack()
  const connection = { url: process.env.REDIS_URL }
  queue = new Queue(sendEmailJob.queue, {
    connection,
    prefix: bullPrefix(stack.redisPrefix),
    defaultJobOptions,
  })
  events = new QueueEvents(sendEmailJob.queue, {
    connection,
    prefix: bullPrefix(stack.redisPrefix),
  })
  await events.waitUntilReady()
})
afterAll(async () => {
  await events?.close()
  await queue?.close()
  await stack?.stop()
})

it('fails a malformed job once, without retries', async () => {
  const job = await queue.add(sendEmailJob.name, {
    version: 1,
    template: 'verify-email',
    to: 'not-an-email',
    locale: 'xx',
    data: {},
  })
  await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow(/invalid send-email payload/)
  const failed = await queue.getJob(job.id!)
  expect(failed?.attemptsMade).toBe(1)
  expect(await failed?.getState()).toBe('failed')
})

it('renders and delivers a valid job in the requested language', async () => {
  const to = `worker-${Date.now()}@example.com`
  const job = await queue.add(sendEmailJob.name, {
    version: 1,
    template: 'magic-link',
    to,
    locale: 'ru',
    data: { url: 'https://vstrecha.example/magic?token=1' },
  })
  await job.waitUntilFinished(events, 10_000)
  const mail = await stack.waitForMail(to)
  expect(mail.subject).toBe('Ссылка для входа во Встречу')
  expect(mail.text).toContain('https://vstrecha.example/magic?token=1')
})
