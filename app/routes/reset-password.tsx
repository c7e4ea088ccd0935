import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { PasswordSchema, useErrorText } from '#app/utils/forms.ts'

const ResetSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: PasswordSchema,
    confirm: z.string({ error: 'validation.required' }),
  })
  .refine((value) => value.password === value.confirm, {
    path: ['confirm'],
    error: 'validation.passwordsDiffer',
  })

export function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url)
  // better-auth redirects here with ?token=… or ?error=INVALID_TOKEN.
  return { token: url.searchParams.get('token') ?? '', hasError: url.searchParams.has('error') }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetSchema })
  if (submission.status !== 'success') {
    return data(
      { result: submission.reply({ hideFields: ['password', 'confirm'] }) },
      { status: 400 },
    )
  }
  const response = await context.app.auth.api.resetPassword({
    body: { token: submission.value.token, newPassword: submission.value.password },
    headers: request.headers,
    asResponse: true,
  })
  if (!response.ok) {
    return data(
      {
        result: submission.reply({
          formErrors: ['auth:reset.invalidToken'],
          hideFields: ['password', 'confirm'],
        }),
      },
      { status: 400 },
    )
  }
  throw redirect('/login?reset=1')
}

export default function ResetPasswordPage() {
  const { t } = useTranslation('auth')
  const errorText = useErrorText()
  const { token, hasError } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'reset',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  if (hasError || !token) {
    return (
      <AuthLayout title={t('reset.title')}>
        <p role="alert">{t('reset.invalidToken')}</p>
        <Link to="/forgot-password" className="text-primary underline-offset-4 hover:underline">
          {t('forgot.submit')}
        </Link>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={t('reset.title')}>
      <Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <input type="hidden" name="token" value={token} />
        <FormErrors id={form.errorId} errors={errorText(form.errors)} />
        <Field
          label={t('reset.newPassword')}
          inputProps={{
            ...getInputProps(fields.password, { type: 'password' }),
            autoComplete: 'new-password',
            autoFocus: true,
          }}
          errors={errorText(fields.password.errors)}
        />
        <Field
          label={t('reset.confirm')}
          inputProps={{
            ...getInputProps(fields.confirm, { type: 'password' }),
            autoComplete: 'new-password',
          }}
          errors={errorText(fields.confirm.errors)}
        />
        <Button type="submit">{t('reset.submit')}</Button>
      </Form>
    </AuthLayout>
  )
}
