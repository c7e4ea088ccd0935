// Saves language/theme for this browser (and the account's email language). Works without JS.
import { redirect, type ActionFunctionArgs } from '@remix-run/node'
import { z } from 'zod'
import { parsePrivacySettings } from '#core/privacy.ts'
import { languageCookieName, supportedLanguages } from '#app/i18n/config.ts'
import { getViewer, safeRedirect } from '#app/utils/auth.server.ts'
import { themeCookieName, ThemeSchema } from '#app/utils/preferences.ts'
import { preferenceCookie } from '#app/utils/preferences.server.ts'

const PreferencesSchema = z.object({
  lng: z.enum(supportedLanguages).optional(),
  theme: ThemeSchema.optional(),
  redirectTo: z.string().optional(),
})

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = PreferencesSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) throw new Response('Bad request', { status: 400 })
  const headers = new Headers()
  const viewer = await getViewer(request, context)
  const account = viewer && !viewer.user.isAnonymous ? viewer.user : null
  const privacy = account
    ? parsePrivacySettings(
        (
          await context.app.db
            .selectFrom('user')
            .select('privacy')
            .where('id', '=', account.id)
            .executeTakeFirst()
        )?.privacy,
      )
    : null
  const remember = privacy?.rememberPreferences ?? true
  if (parsed.data.lng) {
    headers.append(
      'Set-Cookie',
      preferenceCookie(languageCookieName, parsed.data.lng, { remember }),
    )
    if (account) {
      await context.app.db
        .updateTable('user')
        .set({ locale: parsed.data.lng })
        .where('id', '=', account.id)
        .execute()
    }
  }
  if (parsed.data.theme)
    headers.append('Set-Cookie', preferenceCookie(themeCookieName, parsed.data.theme, { remember }))
  return redirect(safeRedirect(parsed.data.redirectTo, '/'), { headers })
}

export function loader() {
  return redirect('/')
}
