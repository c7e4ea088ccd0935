import type { HeadersFunction } from '@remix-run/node'

/** Remix drops action headers on document requests unless the route passes them on: keep Retry-After. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers()
  const retryAfter = actionHeaders.get('Retry-After')
  if (retryAfter) headers.set('Retry-After', retryAfter)
  return headers
}
