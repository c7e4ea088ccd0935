import type { HeadersFunction } from '@remix-run/node'

/**
 * Remix drops action headers on document (no-JS) requests unless the route passes them on: keep the
 * ones users notice — cookies the action sets or clears, and Retry-After on a 429.
 */
export const forwardActionHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers()
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  for (const cookie of actionHeaders.getSetCookie()) headers.append('Set-Cookie', cookie)
  return headers
}
