import type { AppLoadContext } from '@remix-run/node'
import { parseBranding } from '#core/branding.ts'
import { getMembership } from '#server/services/organizations.ts'
import { getViewer } from './auth.server.ts'
import { getRequestLanguage, getRequestTheme, getRequestTimeZone } from './preferences.server.ts'

/** What every page needs: preferences, and the organization's branding for its members. */
export async function loadShell(request: Request, context: AppLoadContext) {
  const viewer = await getViewer(request, context)
  const membership =
    viewer && !viewer.user.isAnonymous
      ? await getMembership({ db: context.app.db, userId: viewer.user.id })
      : null
  return {
    language: getRequestLanguage(request),
    theme: getRequestTheme(request),
    timeZone: getRequestTimeZone(request),
    nonce: context.nonce,
    branding: membership
      ? { ...parseBranding(membership.organization.metadata), name: membership.organization.name }
      : null,
  }
}
