import type { AppLoadContext } from '@remix-run/node'
import { isAppError } from '#core/errors.ts'
import type { RateLimitName } from '#server/rate-limit.ts'

/** Spends rate-limit points; returns the Retry-After seconds when a budget is exhausted. */
export async function checkRateLimits(
  context: AppLoadContext,
  limits: [RateLimitName, string][],
): Promise<{ limited: false } | { limited: true; retryAfter: number }> {
  try {
    for (const [name, key] of limits) await context.app.rateLimits.consume(name, key)
    return { limited: false }
  } catch (error) {
    if (isAppError(error) && error.code === 'RATE_LIMITED')
      return { limited: true, retryAfter: error.retryAfter ?? 60 }
    throw error
  }
}
