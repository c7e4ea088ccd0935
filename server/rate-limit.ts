import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible'
import { AppError } from '#core/errors.ts'
import type { Redis } from '#core/redis.ts'

// Budgets per key; RATE_LIMIT_FACTOR scales all of them (bigger for load tests, never in production).
const budgets = {
  /** sign-in attempts per (ip, email) */
  signIn: { points: 10, duration: 15 * 60 },
  /** sign-ins per ip, across emails */
  signInIp: { points: 100, duration: 15 * 60 },
  signUp: { points: 30, duration: 60 * 60 },
  /** reset and magic-link emails per (ip, email) */
  emailLink: { points: 5, duration: 60 * 60 },
  /**
   * unknown invite codes per ip: codes are unguessable, this only slows scanning further. Only
   * misses count: a whole office behind one NAT address opening a real link is never limited.
   */
  inviteMiss: { points: 120, duration: 60 },
  /** better-auth's HTTP endpoints per ip */
  authApi: { points: 60, duration: 60 },
  /** chat messages per user, DataChannel and socket together: a fast typist, not a script */
  chatSend: { points: 20, duration: 10 },
  /** messenger posts and forwards per user: bursts of a busy conversation, not a flood */
  messengerPost: { points: 30, duration: 10 },
  /** attachment uploads per user */
  attachmentUpload: { points: 60, duration: 60 },
} as const

export type RateLimitName = keyof typeof budgets

export type RateLimits = {
  /** Spends one point; throws AppError RATE_LIMITED when the budget is gone. */
  consume: (name: RateLimitName, key: string) => Promise<void>
  /** Forgets a key's spent points, e.g. after a successful sign-in. */
  reset: (name: RateLimitName, key: string) => Promise<void>
  /** Throws like consume() when the budget is already spent, without spending a point. */
  check: (name: RateLimitName, key: string) => Promise<void>
}

export function createRateLimits(options: {
  redis: Redis
  prefix: string
  factor: number
}): RateLimits {
  const limiters = Object.fromEntries(
    Object.entries(budgets).map(([name, budget]) => [
      name,
      new RateLimiterRedis({
        storeClient: options.redis,
        keyPrefix: `${options.prefix}rl:${name}`,
        points: Math.max(1, Math.round(budget.points * options.factor)),
        duration: budget.duration,
      }),
    ]),
  ) as Record<RateLimitName, RateLimiterRedis>

  return {
    async consume(name, key) {
      try {
        await limiters[name].consume(key)
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          throw new AppError('RATE_LIMITED', 'Too many attempts, try again later', {
            retryAfter: Math.ceil(error.msBeforeNext / 1000),
          })
        }
        throw error
      }
    },
    async reset(name, key) {
      await limiters[name].delete(key)
    },
    async check(name, key) {
      const spent = await limiters[name].get(key)
      if (spent && spent.remainingPoints <= 0) {
        throw new AppError('RATE_LIMITED', 'Too many attempts, try again later', {
          retryAfter: Math.ceil(spent.msBeforeNext / 1000),
        })
      }
    },
  }
}
