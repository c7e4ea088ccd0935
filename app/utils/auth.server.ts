// Who is asking: loaders and actions call these instead of touching better-auth directly.
import { redirect, type AppLoadContext } from '@remix-run/node'
import { getMembership, type Membership } from '#server/services/organizations.ts'

export type Viewer = {
  user: { id: string; name: string; email: string; isAnonymous: boolean; locale: 'ru' | 'en' }
  sessionId: string
}

export async function getViewer(request: Request, context: AppLoadContext): Promise<Viewer | null> {
  const session = await context.app.auth.api.getSession({ headers: request.headers })
  if (!session) return null
  const user = session.user as typeof session.user & {
    isAnonymous?: boolean | null
    locale?: string
  }
  return {
    sessionId: session.session.id,
    user: {
      id: user.id,
      name: user.name,
      email: user.email,
      isAnonymous: Boolean(user.isAnonymous),
      locale: user.locale === 'ru' ? 'ru' : 'en',
    },
  }
}

function loginRedirect(request: Request): never {
  const url = new URL(request.url)
  const redirectTo = `${url.pathname}${url.search}`
  throw redirect(
    `/login${redirectTo === '/' ? '' : `?redirectTo=${encodeURIComponent(redirectTo)}`}`,
  )
}

/** A signed-in employee account. Guests are scoped to their meeting: anywhere else is "not found". */
export async function requireUser(request: Request, context: AppLoadContext): Promise<Viewer> {
  const viewer = await getViewer(request, context)
  if (!viewer) loginRedirect(request)
  if (viewer.user.isAnonymous) throw new Response('Not found', { status: 404 })
  return viewer
}

export type MemberViewer = Viewer & { membership: Membership; isOrgAdmin: boolean }

export async function requireMember(
  request: Request,
  context: AppLoadContext,
): Promise<MemberViewer> {
  const viewer = await requireUser(request, context)
  const membership = await getMembership({ db: context.app.db, userId: viewer.user.id })
  if (!membership) throw redirect('/onboarding')
  return {
    ...viewer,
    membership,
    isOrgAdmin: membership.role === 'owner' || membership.role === 'admin',
  }
}

/** Only local paths: an open redirect would turn our login page into a phishing helper. */
export function safeRedirect(
  target: FormDataEntryValue | string | null | undefined,
  fallback = '/meetings',
): string {
  if (
    typeof target !== 'string' ||
    !target.startsWith('/') ||
    target.startsWith('//') ||
    target.startsWith('/\\')
  ) {
    return fallback
  }
  return target
}

/** Copies better-auth's Set-Cookie headers onto our own response. */
export function authCookies(response: Response): Headers {
  const headers = new Headers()
  for (const cookie of response.headers.getSetCookie()) headers.append('Set-Cookie', cookie)
  return headers
}

/** better-auth answers errors as JSON `{ code, message }`; we only need the code. */
export async function authErrorCode(response: Response): Promise<string> {
  try {
    const body = (await response.clone().json()) as { code?: unknown }
    return typeof body.code === 'string' ? body.code : 'UNKNOWN'
  } catch {
    return 'UNKNOWN'
  }
}
