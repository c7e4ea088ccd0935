// One error type for the whole product; the edges (HTTP, socket acks) map `code` to a status.
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  Unauthorized: 'UNAUTHORIZED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  Conflict: 'CONFLICT',
  RateLimited: 'RATE_LIMITED',
  Internal: 'INTERNAL',
} as const
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode]

const httpStatus: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  INTERNAL: 500,
}

export class AppError extends Error {
  readonly code: ErrorCode
  /** Seconds until a rate-limited caller may retry. */
  readonly retryAfter?: number
  constructor(
    code: ErrorCode,
    message: string,
    options?: { retryAfter?: number; cause?: unknown },
  ) {
    super(message, { cause: options?.cause })
    this.name = 'AppError'
    this.code = code
    this.retryAfter = options?.retryAfter
  }
  get status(): number {
    return httpStatus[this.code]
  }
}

const codes = new Set<string>(Object.values(ErrorCode))

/**
 * Structural, not `instanceof`: the Remix server build bundles its own copy of this module, so an
 * AppError thrown by code the web process loaded directly is a different class there.
 */
export function isAppError(error: unknown): error is AppError {
  return (
    error instanceof Error &&
    error.name === 'AppError' &&
    codes.has((error as { code?: unknown }).code as string)
  )
}
