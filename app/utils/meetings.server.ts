import type { AppLoadContext } from '@remix-run/node'
import { createI18n } from '#app/i18n/i18n.ts'
import { createInstantMeeting } from '#server/services/meetings.ts'
import type { MemberViewer } from './auth.server.ts'
import { getRequestLanguage } from './preferences.server.ts'

export async function startInstantMeeting(
  request: Request,
  context: AppLoadContext,
  viewer: MemberViewer,
) {
  const t = createI18n(getRequestLanguage(request)).getFixedT(null, 'meetings')
  const meeting = await createInstantMeeting({
    db: context.app.db,
    organizer: {
      userId: viewer.user.id,
      name: viewer.user.name,
      organizationId: viewer.membership.organization.id,
    },
    title: t('instantTitle', { name: viewer.user.name }),
    ip: context.clientIp,
  })
  return meeting
}
