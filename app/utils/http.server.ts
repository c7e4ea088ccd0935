import { isAppError, type AppError } from '#core/errors.ts'

/** Runs `fn`, turning AppErrors into HTTP responses Remix renders through the error boundary. */
export async function handleAppErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (isAppError(error)) throw appErrorResponse(error)
    throw error
  }
}

export function appErrorResponse(error: AppError): Response {
  const headers = new Headers({ 'Content-Type': 'text/plain; charset=utf-8' })
  if (error.retryAfter) headers.set('Retry-After', String(error.retryAfter))
  return new Response(error.code, { status: error.status, headers })
}
