// The signed-in employee's own settings: profile, language/theme, privacy and cookie choices.
// Every form is a plain POST (tabs are links with `?tab=`), so the page works before hydration too.
import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import {
  Form,
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useRouteLoaderData,
  useSearchParams,
  type ShouldRevalidateFunction,
} from '@remix-run/react'
import { sql } from 'kysely'
import { LogOut, Monitor, Moon, Sun } from 'lucide-react'
import { useEffect, useId, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { forwardActionHeaders } from '#app/utils/headers.ts'
import { Avatar } from '#app/components/ui/avatar.tsx'
import { Badge } from '#app/components/ui/badge.tsx'
import { Button } from '#app/components/ui/button.tsx'
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '#app/components/ui/card.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { Switch } from '#app/components/ui/switch.tsx'
import { Tabs, TabsContent, TabsList, TabsTrigger } from '#app/components/ui/tabs.tsx'
import { toast } from '#app/components/ui/toast.tsx'
import { languageCookieName, supportedLanguages } from '#app/i18n/config.ts'
import type { RootLoader } from '#app/root.tsx'
import { requireMember } from '#app/utils/auth.server.ts'
import { PersonNameSchema, useErrorText } from '#app/utils/forms.ts'
import { themeCookieName, type Theme } from '#app/utils/preferences.ts'
import { writeAudit } from '#app/utils/services.server.ts'
import { parsePrivacySettings, privacySettingKeys, type PrivacySetting } from '#core/privacy.ts'

export const headers = forwardActionHeaders

const TABS = ['profile', 'preferences', 'privacy'] as const
type Tab = (typeof TABS)[number]
const THEMES: { value: Theme; icon: typeof Sun }[] = [
  { value: 'light', icon: Sun },
  { value: 'dark', icon: Moon },
  { value: 'system', icon: Monitor },
]

const ProfileSchema = z.object({ intent: z.literal('profile'), name: PersonNameSchema })
const PrivacySchema = z.object({
  intent: z.literal('privacy'),
  setting: z.enum(privacySettingKeys as [PrivacySetting, ...PrivacySetting[]], {
    error: 'validation.invalid',
  }),
  enabled: z
    .enum(['true', 'false'], { error: 'validation.invalid' })
    .transform((value) => value === 'true'),
})
const SettingsActionSchema = z.discriminatedUnion('intent', [ProfileSchema, PrivacySchema])

const tabOf = (value: string | null): Tab =>
  (TABS as readonly string[]).includes(value ?? '') ? (value as Tab) : 'profile'

/** Deletes a cookie in the browser (same name, path and attributes as preferenceCookie sets). */
const expiredCookie = (name: string) => `${name}=; Path=/; Max-Age=0; SameSite=Lax`

export const meta: MetaFunction = () => [{ title: 'Vstrecha' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await requireMember(request, context)
  const row = await context.app.db
    .selectFrom('user')
    .select(['privacy'])
    .where('id', '=', viewer.user.id)
    .executeTakeFirstOrThrow()
  return {
    user: { id: viewer.user.id, name: viewer.user.name, email: viewer.user.email },
    privacy: parsePrivacySettings(row.privacy),
  }
}

// Switching tabs only changes `?tab=`: nothing the loader returns depends on it.
export const shouldRevalidate: ShouldRevalidateFunction = ({
  currentUrl,
  nextUrl,
  formMethod,
  defaultShouldRevalidate,
}) => {
  if (!formMethod && currentUrl.pathname === nextUrl.pathname) {
    const strip = (url: URL) => {
      const params = new URLSearchParams(url.search)
      params.delete('tab')
      return params.toString()
    }
    if (strip(currentUrl) === strip(nextUrl)) return false
  }
  return defaultShouldRevalidate
}

export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireMember(request, context)
  const submission = parseWithZod(await request.formData(), { schema: SettingsActionSchema })
  if (submission.status !== 'success') {
    return data({ intent: null, result: submission.reply(), savedAt: null }, { status: 400 })
  }
  const { db } = context.app
  const audit = {
    db,
    actorId: viewer.user.id,
    organizationId: viewer.membership.organization.id,
    targetType: 'user',
    targetId: viewer.user.id,
    ip: context.clientIp,
  }

  if (submission.value.intent === 'profile') {
    const { name } = submission.value
    await db
      .updateTable('user')
      .set({ name, updatedAt: new Date() })
      .where('id', '=', viewer.user.id)
      .execute()
    await writeAudit({ ...audit, action: 'user.profile', metadata: { fields: ['name'] } })
    return data({ intent: 'profile' as const, result: submission.reply(), savedAt: Date.now() })
  }

  const { setting, enabled } = submission.value
  // One atomic jsonb merge: two switches flipped at once must not overwrite each other.
  await db
    .updateTable('user')
    .set({
      privacy: sql<string>`"privacy" || ${JSON.stringify({ [setting]: enabled })}::jsonb`,
      updatedAt: new Date(),
    })
    .where('id', '=', viewer.user.id)
    .execute()
  // A consent change is worth a record: who turned what on or off, and when.
  await writeAudit({ ...audit, action: 'user.privacy', metadata: { setting, enabled } })
  const headers = new Headers()
  if (setting === 'rememberPreferences' && !enabled) {
    headers.append('Set-Cookie', expiredCookie(languageCookieName))
    headers.append('Set-Cookie', expiredCookie(themeCookieName))
  }
  return data(
    { intent: 'privacy' as const, result: submission.reply(), savedAt: Date.now() },
    { headers },
  )
}

export default function SettingsPage() {
  const { t } = useTranslation('settings')
  const [searchParams, setSearchParams] = useSearchParams()
  const tab = tabOf(searchParams.get('tab'))
  const actionData = useActionData<typeof action>()

  // Here rather than in the tab: tabs unmount when hidden and would toast again when shown.
  useEffect(() => {
    if (actionData?.intent === 'profile' && actionData.savedAt) {
      toast({ id: 'settings-profile', title: t('settings.profile.saved'), variant: 'success' })
    }
  }, [actionData, t])

  const selectTab = (value: string) =>
    setSearchParams(
      (params) => {
        const next = new URLSearchParams(params)
        next.set('tab', value)
        return next
      },
      { replace: true, preventScrollReset: true },
    )

  return (
    <div className="mx-auto grid w-full max-w-3xl grid-cols-1 gap-6">
      <div className="flex items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold">{t('settings.title')}</h1>
        <Form method="post" action="/logout">
          <Button type="submit" variant="outline" size="sm">
            <LogOut aria-hidden />
            {t('settings.signOut')}
          </Button>
        </Form>
      </div>
      <Tabs value={tab} onValueChange={selectTab}>
        <TabsList aria-label={t('settings.sections')}>
          {TABS.map((value) => (
            <TabsTrigger key={value} value={value} asChild>
              {/* A real link for the time before hydration; afterwards Radix switches the tab. */}
              <Link
                to={`?tab=${value}`}
                replace
                preventScrollReset
                onClick={(event) => event.preventDefault()}
              >
                {t(`settings.tabs.${value}`)}
              </Link>
            </TabsTrigger>
          ))}
        </TabsList>
        <TabsContent value="profile">
          <ProfileTab />
        </TabsContent>
        <TabsContent value="preferences">
          <PreferencesTab />
        </TabsContent>
        <TabsContent value="privacy">
          <PrivacyTab />
        </TabsContent>
      </Tabs>
    </div>
  )
}

function ProfileTab() {
  const { t } = useTranslation('settings')
  const errorText = useErrorText()
  const { user } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const lastResult =
    actionData?.intent === 'profile' || actionData?.intent === null ? actionData.result : undefined
  const [form, fields] = useForm({
    id: 'profile',
    lastResult,
    defaultValue: { name: user.name },
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ProfileSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })

  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>{t('settings.profile.title')}</h2>
        </CardTitle>
        <CardDescription>{t('settings.profile.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <Form method="post" className="grid gap-5" {...getFormProps(form)}>
          <input type="hidden" name="intent" value="profile" />
          <FormErrors id={form.errorId} errors={errorText(form.errors)} />
          <div className="flex items-center gap-3">
            <Avatar
              name={fields.name.value || user.name}
              colorKey={user.id}
              size="lg"
              isDecorative
            />
            <div className="min-w-0">
              <p className="truncate font-medium">{user.name}</p>
              <p className="truncate text-sm text-muted-foreground">{user.email}</p>
            </div>
          </div>
          <Field
            label={t('settings.profile.name')}
            inputProps={{ ...getInputProps(fields.name, { type: 'text' }), autoComplete: 'name' }}
            errors={errorText(fields.name.errors)}
          />
          <Field
            label={t('settings.profile.email')}
            description={t('settings.profile.emailHint')}
            inputProps={{ type: 'email', value: user.email, readOnly: true, className: 'bg-muted' }}
          />
          <Button
            type="submit"
            className="justify-self-start"
            disabled={navigation.state === 'submitting'}
          >
            {t('settings.profile.save')}
          </Button>
        </Form>
      </CardContent>
    </Card>
  )
}

function PreferencesTab() {
  const { t } = useTranslation('settings')
  const { t: tc } = useTranslation()
  const root = useRouteLoaderData<RootLoader>('root')
  const { privacy } = useLoaderData<typeof loader>()
  const language = root?.language ?? 'en'
  const theme = root?.theme ?? 'system'
  const redirectTo = '/settings?tab=preferences'
  return (
    <div className="grid gap-4">
      {!privacy.rememberPreferences ? (
        <p
          role="note"
          className="rounded-md border bg-muted/50 px-3 py-2 text-sm text-muted-foreground"
        >
          {t('settings.preferences.notRemembered')}
        </p>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle asChild>
            <h2>{t('settings.preferences.languageTitle')}</h2>
          </CardTitle>
          <CardDescription>{t('settings.preferences.languageDescription')}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          <Form
            method="post"
            action="/preferences"
            className="flex flex-wrap gap-2"
            aria-label={t('settings.preferences.languageTitle')}
          >
            <input type="hidden" name="redirectTo" value={redirectTo} />
            {supportedLanguages.map((lng) => (
              <Button
                key={lng}
                type="submit"
                name="lng"
                value={lng}
                lang={lng}
                variant={language === lng ? 'default' : 'outline'}
                aria-pressed={language === lng}
              >
                {t(`settings.preferences.languages.${lng}`)}
              </Button>
            ))}
          </Form>
          <p className="text-sm text-muted-foreground">
            {t('settings.preferences.current', {
              value: t(`settings.preferences.languages.${language}`),
            })}
          </p>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle asChild>
            <h2>{t('settings.preferences.themeTitle')}</h2>
          </CardTitle>
          <CardDescription>{t('settings.preferences.themeDescription')}</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          <Form
            method="post"
            action="/preferences"
            className="flex flex-wrap gap-2"
            aria-label={t('settings.preferences.themeTitle')}
          >
            <input type="hidden" name="redirectTo" value={redirectTo} />
            {THEMES.map(({ value, icon: Icon }) => (
              <Button
                key={value}
                type="submit"
                name="theme"
                value={value}
                variant={theme === value ? 'default' : 'outline'}
                aria-pressed={theme === value}
              >
                <Icon aria-hidden />
                {tc(`theme.${value}`)}
              </Button>
            ))}
          </Form>
          <p className="text-sm text-muted-foreground">
            {t('settings.preferences.current', { value: tc(`theme.${theme}`) })}
          </p>
        </CardContent>
      </Card>
    </div>
  )
}

function PrivacyTab() {
  const { t } = useTranslation('settings')
  const { privacy } = useLoaderData<typeof loader>()
  return (
    <Card>
      <CardHeader>
        <CardTitle asChild>
          <h2>{t('settings.privacy.title')}</h2>
        </CardTitle>
        <CardDescription>{t('settings.privacy.description')}</CardDescription>
      </CardHeader>
      <CardContent>
        <ul className="divide-y">
          <PrivacyRow
            label={t('settings.privacy.necessary.label')}
            badge={t('settings.privacy.alwaysOn')}
            description={t('settings.privacy.necessary.description')}
          >
            {(ids) => (
              <Switch
                checked
                disabled
                aria-labelledby={ids.label}
                aria-describedby={ids.description}
              />
            )}
          </PrivacyRow>
          {privacySettingKeys.map((setting) => (
            <PrivacyToggle key={setting} setting={setting} isEnabled={privacy[setting]} />
          ))}
        </ul>
      </CardContent>
    </Card>
  )
}

function PrivacyToggle({ setting, isEnabled }: { setting: PrivacySetting; isEnabled: boolean }) {
  const { t } = useTranslation('settings')
  const errorText = useErrorText()
  // Not keyed: its data goes away with the tab, so a remount does not toast again.
  const fetcher = useFetcher<typeof action>()
  // Shows the new position while the request is on its way.
  const pending = fetcher.formData?.get('enabled')
  const isChecked = typeof pending === 'string' ? pending === 'true' : isEnabled
  const errors =
    fetcher.data?.result.status === 'error'
      ? errorText(
          Object.values(fetcher.data.result.error ?? {})
            .flat()
            .filter((e): e is string => Boolean(e)),
        )
      : undefined

  useEffect(() => {
    if (fetcher.state === 'idle' && fetcher.data?.intent === 'privacy' && fetcher.data.savedAt) {
      toast({ id: 'settings-privacy', title: t('settings.privacy.saved'), variant: 'success' })
    }
  }, [fetcher.state, fetcher.data, t])

  return (
    <PrivacyRow
      label={t(`settings.privacy.${setting}.label`)}
      description={t(`settings.privacy.${setting}.description`)}
      errors={errors}
    >
      {(ids) => (
        <fetcher.Form method="post" action="/settings?tab=privacy">
          <input type="hidden" name="intent" value="privacy" />
          <input type="hidden" name="setting" value={setting} />
          <input type="hidden" name="enabled" value={String(!isChecked)} />
          {/* The switch is the submit button: one click saves, with or without JavaScript. */}
          <Switch
            type="submit"
            checked={isChecked}
            aria-labelledby={ids.label}
            aria-describedby={ids.description}
            data-testid={`privacy-${setting}`}
          />
        </fetcher.Form>
      )}
    </PrivacyRow>
  )
}

function PrivacyRow({
  label,
  badge,
  description,
  errors,
  children,
}: {
  label: string
  badge?: string
  description: string
  errors?: string[]
  children: (ids: { label: string; description: string }) => ReactNode
}) {
  const id = useId()
  const ids = { label: `${id}-label`, description: `${id}-description` }
  return (
    <li className="flex items-start justify-between gap-4 py-4 first:pt-0 last:pb-0">
      <div className="grid min-w-0 gap-1">
        <p className="flex flex-wrap items-center gap-2">
          <span id={ids.label} className="text-sm font-medium">
            {label}
          </span>
          {badge ? <Badge variant="secondary">{badge}</Badge> : null}
        </p>
        <p id={ids.description} className="text-sm text-muted-foreground">
          {description}
        </p>
        {errors?.length ? <FormErrors errors={errors} /> : null}
      </div>
      <div className="shrink-0 pt-0.5">{children(ids)}</div>
    </li>
  )
}
