import type { DefaultJobOptions } from 'bullmq'

/** BullMQ keys live under the deployment's Redis prefix so test runs and deployments can share Redis. */
export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`
}

export const defaultJobOptions: DefaultJobOptions = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 1_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
}
