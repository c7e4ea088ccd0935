import type { AppLoadContext } from '@remix-run/node'
import { isAppError } from '#core/errors.ts'
import type { RateLimitName } from '#server/rate-limit.ts'

export type RateLimitOutcome = { limited: false } | { limited: true; retryAfter: number }

/** Runs rate-limit calls; a refusal becomes the Retry-After seconds instead of an error. */
export async function rateLimitOutcome(attempt: () => Promise<void>): Promise<RateLimitOutcome> {
  try {
    await attempt()
    return { limited: false }
  } catch (error) {
    if (isAppError(error) && error.code === 'RATE_LIMITED')
      return { limited: true, retryAfter: error.retryAfter ?? 60 }
    throw error
  }
}

/** Spends rate-limit points; returns the Retry-After seconds when a budget is exhausted. */
export function checkRateLimits(
  context: AppLoadContext,
  limits: [RateLimitName, string][],
): Promise<RateLimitOutcome> {
  return rateLimitOutcome(async () => {
    for (const [name, key] of limits) await context.app.rateLimits.consume(name, key)
  })
}
