import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useNavigation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { authErrorCode, getViewer } from '#app/utils/auth.server.ts'
import { EmailSchema, PasswordSchema, PersonNameSchema, useErrorText } from '#app/utils/forms.ts'
import { getRequestLanguage } from '#app/utils/preferences.server.ts'
import { forwardActionHeaders } from '#app/utils/headers.ts'
import { checkRateLimits } from '#app/utils/rate-limit.server.ts'

export const headers = forwardActionHeaders

const SignupSchema = z.object({
  name: PersonNameSchema,
  email: EmailSchema,
  password: PasswordSchema,
})

export async function loader({ request, context }: LoaderFunctionArgs) {
  const viewer = await getViewer(request, context)
  if (viewer && !viewer.user.isAnonymous) throw redirect('/meetings')
  return null
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: SignupSchema })
  if (submission.status !== 'success')
    return data({ result: submission.reply(), sentTo: null }, { status: 400 })
  const limit = await checkRateLimits(context, [['signUp', context.clientIp]])
  if (limit.limited) {
    return data(
      { result: submission.reply({ formErrors: ['errors.rateLimited'] }), sentTo: null },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfter) } },
    )
  }
  const { name, email, password } = submission.value
  const response = await context.app.auth.api.signUpEmail({
    body: {
      name,
      email,
      password,
      locale: getRequestLanguage(request),
      callbackURL: '/onboarding',
    },
    headers: request.headers,
    asResponse: true,
  })
  if (!response.ok) {
    const code = await authErrorCode(response)
    const exists = code.includes('ALREADY_EXISTS')
    return data(
      {
        result: submission.reply({
          fieldErrors: exists ? { email: ['auth:signup.emailTaken'] } : {},
          formErrors: exists ? [] : ['errors.unexpected.description'],
          hideFields: ['password'],
        }),
        sentTo: null,
      },
      { status: exists ? 409 : 400 },
    )
  }
  return data({ result: submission.reply({ resetForm: true }), sentTo: email })
}

export default function SignupPage() {
  const { t } = useTranslation('auth')
  const errorText = useErrorText()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const [form, fields] = useForm({
    id: 'signup',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignupSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })

  if (actionData?.sentTo) {
    return (
      <AuthLayout title={t('signup.checkEmailTitle')}>
        <p role="status" data-testid="check-email">
          {t('signup.checkEmail', { email: actionData.sentTo })}
        </p>
      </AuthLayout>
    )
  }

  return (
    <AuthLayout
      title={t('signup.title')}
      description={t('signup.description')}
      footer={
        <>
          {t('signup.haveAccount')}{' '}
          <Link to="/login" className="font-medium text-primary underline-offset-4 hover:underline">
            {t('signup.signIn')}
          </Link>
        </>
      }
    >
      <Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={errorText(form.errors)} />
        <Field
          label={t('name')}
          inputProps={{
            ...getInputProps(fields.name, { type: 'text' }),
            autoComplete: 'name',
            autoFocus: true,
          }}
          errors={errorText(fields.name.errors)}
        />
        <Field
          label={t('email')}
          inputProps={{ ...getInputProps(fields.email, { type: 'email' }), autoComplete: 'email' }}
          errors={errorText(fields.email.errors)}
        />
        <Field
          label={t('password')}
          inputProps={{
            ...getInputProps(fields.password, { type: 'password' }),
            autoComplete: 'new-password',
          }}
          errors={errorText(fields.password.errors)}
        />
        <Button type="submit" disabled={navigation.state === 'submitting'}>
          {t('signup.submit')}
        </Button>
      </Form>
    </AuthLayout>
  )
}
