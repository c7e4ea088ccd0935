import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useNavigation, useSearchParams } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { authCookies, authErrorCode, getViewer, safeRedirect } from '#app/utils/auth.server.ts'
import { EmailSchema, useErrorText } from '#app/utils/forms.ts'
import { forwardActionHeaders } from '#app/utils/headers.ts'
import { checkRateLimits } from '#app/utils/rate-limit.server.ts'

export const headers = forwardActionHeaders

const PasswordLoginSchema = z.object({
  intent: z.literal('password'),
  email: EmailSchema,
  password: z.string({ error: 'validation.required' }).max(128, { error: 'validation.tooLong' }),
  redirectTo: z.string().optional(),
})
const MagicLinkSchema = z.object({
  intent: z.literal('magic-link'),
  email: EmailSchema,
  redirectTo: z.string().optional(),
})
const LoginSchema = z.discriminatedUnion('intent', [PasswordLoginSchema, MagicLinkSchema])

export const meta: MetaFunction = () => [{ title: 'Vstrecha' }]

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(request, context)
  if (viewer && !viewer.user.isAnonymous) {
    throw redirect(safeRedirect(new URL(request.url).searchParams.get('redirectTo')))
  }
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: LoginSchema })
  if (submission.status !== 'success')
    return data({ result: submission.reply(), magicLinkSentTo: null }, { status: 400 })
  const { email, intent } = submission.value
  const limit = await checkRateLimits(context, [
    ['signInIp', context.clientIp],
    [intent === 'password' ? 'signIn' : 'emailLink', `${context.clientIp}:${email}`],
  ])
  if (limit.limited) {
    return data(
      { result: submission.reply({ formErrors: ['errors.rateLimited'] }), magicLinkSentTo: null },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfter) } },
    )
  }
  const redirectTo = safeRedirect(submission.value.redirectTo)

  if (intent === 'magic-link') {
    await context.app.auth.api.signInMagicLink({
      body: { email, callbackURL: redirectTo, errorCallbackURL: '/login?magicLink=failed' },
      headers: request.headers,
    })
    return data({ result: submission.reply({ resetForm: true }), magicLinkSentTo: email })
  }

  const response = await context.app.auth.api.signInEmail({
    body: { email, password: submission.value.password, callbackURL: '/onboarding' },
    headers: request.headers,
    asResponse: true,
  })
  if (response.ok) {
    await context.app.rateLimits.reset('signIn', `${context.clientIp}:${email}`)
    throw redirect(redirectTo, { headers: authCookies(response) })
  }
  const code = await authErrorCode(response)
  const message =
    code === 'EMAIL_NOT_VERIFIED' ? 'auth:login.emailNotVerified' : 'auth:login.invalidCredentials'
  return data(
    {
      result: submission.reply({ formErrors: [message], hideFields: ['password'] }),
      magicLinkSentTo: null,
    },
    { status: response.status === 403 ? 403 : 401 },
  )
}

export default function LoginPage() {
  const { t } = useTranslation('auth')
  const errorText = useErrorText()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [searchParams] = useSearchParams()
  const redirectTo = searchParams.get('redirectTo') ?? ''
  const [form, fields] = useForm({
    id: 'login',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  const notice = searchParams.has('verified')
    ? t('login.verified')
    : searchParams.has('reset')
      ? t('login.passwordReset')
      : actionData?.magicLinkSentTo
        ? t('login.magicLinkSent', { email: actionData.magicLinkSentTo })
        : null
  const formErrors =
    searchParams.get('magicLink') === 'failed' ? ['auth:login.magicLinkFailed'] : form.errors

  return (
    <AuthLayout
      title={t('login.title')}
      description={t('login.description')}
      footer={
        <>
          {t('login.noAccount')}{' '}
          <Link
            to="/signup"
            className="font-medium text-primary underline-offset-4 hover:underline"
          >
            {t('login.signUp')}
          </Link>
        </>
      }
    >
      {notice ? (
        <p role="status" className="rounded-md bg-success/10 px-3 py-2 text-sm text-success">
          {notice}
        </p>
      ) : null}
      <Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <FormErrors id={form.errorId} errors={errorText(formErrors)} />
        <Field
          label={t('email')}
          inputProps={{
            ...getInputProps(fields.email, { type: 'email' }),
            autoComplete: 'email',
            autoFocus: true,
          }}
          errors={errorText(fields.email.errors)}
        />
        <Field
          label={
            <span className="flex w-full items-center justify-between">
              {t('password')}
              <Link
                to="/forgot-password"
                className="text-sm font-normal text-primary underline-offset-4 hover:underline"
              >
                {t('login.forgot')}
              </Link>
            </span>
          }
          inputProps={{
            ...getInputProps(fields.password, { type: 'password' }),
            autoComplete: 'current-password',
          }}
          errors={errorText(fields.password.errors)}
        />
        <Button
          type="submit"
          name="intent"
          value="password"
          disabled={navigation.state === 'submitting'}
        >
          {t('login.submit')}
        </Button>
        <div className="flex items-center gap-3 text-xs text-muted-foreground uppercase">
          <span className="h-px flex-1 bg-border" />
          {t('login.or')}
          <span className="h-px flex-1 bg-border" />
        </div>
        <Button type="submit" name="intent" value="magic-link" variant="outline" formNoValidate>
          {t('login.magicLink')}
        </Button>
      </Form>
    </AuthLayout>
  )
}
