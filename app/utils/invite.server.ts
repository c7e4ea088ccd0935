// Everything behind /m/<code>: the same "not found" for malformed, unknown and cancelled codes, and
// guest sessions that reach only the meeting they were created for.
import type { AppLoadContext } from '@remix-run/node'
import { isAppError } from '#core/errors.ts'
import { InviteCodeSchema } from '#core/invite-code.ts'
import { enterMeeting, findMeetingByInviteCode, getParticipant } from '#server/services/meetings.ts'
import { getMembership } from '#server/services/organizations.ts'
import { getViewer, type Viewer } from './auth.server.ts'
import { rateLimitOutcome } from './rate-limit.server.ts'

/** Invite links use the address the user is on (LAN IP, https tunnel…), not a configured guess. */
export function inviteUrlFor(request: Request, code: string): string {
  return `${new URL(request.url).origin}/m/${code}`
}

export function notFound(): Response {
  return new Response('Not found', { status: 404 })
}

/** An address that missed too many codes is refused before the lookup; only misses are counted. */
export async function findInvitedMeeting(context: AppLoadContext, code: string | undefined) {
  const { rateLimits, db } = context.app
  const blocked = await rateLimitOutcome(() => rateLimits.check('inviteMiss', context.clientIp))
  if (blocked.limited) throw tooManyRequests(blocked.retryAfter)
  const parsed = InviteCodeSchema.safeParse(code)
  const meeting = parsed.success ? await findMeetingByInviteCode({ db, code: parsed.data }) : null
  if (!meeting) {
    // This miss may spend the last point: it still answers 404, the next request 429.
    await rateLimitOutcome(() => rateLimits.consume('inviteMiss', context.clientIp))
    throw notFound()
  }
  return meeting
}

function tooManyRequests(retryAfter: number): Response {
  return new Response('Too many requests', {
    status: 429,
    headers: { 'Retry-After': String(retryAfter) },
  })
}

export type Invite = Awaited<ReturnType<typeof resolveInvite>>

/**
 * Who opens the link decides what they see: a name form (no session, or a guest of another
 * meeting), or their participant record (created for employees on first visit). A locked meeting
 * is "not found" to everyone without a participant record, exactly like an unknown code.
 */
export async function resolveInvite(
  request: Request,
  context: AppLoadContext,
  code: string | undefined,
) {
  const meeting = await findInvitedMeeting(context, code)
  const viewer: Viewer | null = await getViewer(request, context)
  if (!viewer) {
    if (meeting.isLocked) throw notFound()
    return { meeting, viewer, participant: null }
  }
  if (viewer.user.isAnonymous) {
    const participant = await getParticipant({
      db: context.app.db,
      meetingId: meeting.id,
      userId: viewer.user.id,
    })
    if (!participant && meeting.isLocked) throw notFound()
    return { meeting, viewer, participant }
  }
  const membership = await getMembership({ db: context.app.db, userId: viewer.user.id })
  const participant = await enterMeeting({
    db: context.app.db,
    meeting,
    entrant: {
      userId: viewer.user.id,
      displayName: viewer.user.name,
      isGuest: false,
      isOrgMember: membership?.organization.id === meeting.organizationId,
    },
    notifier: context.app.realtime,
  }).catch((error: unknown) => {
    if (isAppError(error) && error.code === 'NOT_FOUND') throw notFound()
    throw error
  })
  return {
    meeting,
    viewer,
    participant,
    isOrgMember: membership?.organization.id === meeting.organizationId,
  }
}
