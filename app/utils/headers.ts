import type { HeadersFunction } from '@remix-run/node'

/** Remix drops action headers on document requests unless the route passes them on: keep Retry-After. */
export const retryAfterHeaders: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get('Retry-After')
  return retryAfter ? { 'Retry-After': retryAfter } : {}
}
