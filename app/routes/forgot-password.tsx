import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, type ActionFunctionArgs } from '@remix-run/node'
import { Form, Link, useActionData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { EmailSchema, useErrorText } from '#app/utils/forms.ts'
import { forwardActionHeaders } from '#app/utils/headers.ts'
import { checkRateLimits } from '#app/utils/rate-limit.server.ts'

export const headers = forwardActionHeaders

const ForgotSchema = z.object({ email: EmailSchema })

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotSchema })
  if (submission.status !== 'success')
    return data({ result: submission.reply(), sentTo: null }, { status: 400 })
  const { email } = submission.value
  const limit = await checkRateLimits(context, [['emailLink', `${context.clientIp}:${email}`]])
  if (limit.limited) {
    return data(
      { result: submission.reply({ formErrors: ['errors.rateLimited'] }), sentTo: null },
      { status: 429, headers: { 'Retry-After': String(limit.retryAfter) } },
    )
  }
  // The same answer whether or not the account exists: no account enumeration.
  await context.app.auth.api.requestPasswordReset({
    body: { email, redirectTo: '/reset-password' },
    headers: request.headers,
  })
  return data({ result: submission.reply({ resetForm: true }), sentTo: email })
}

export default function ForgotPasswordPage() {
  const { t } = useTranslation('auth')
  const errorText = useErrorText()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'forgot',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotSchema }),
    shouldValidate: 'onBlur',
  })
  return (
    <AuthLayout
      title={t('forgot.title')}
      description={t('forgot.description')}
      footer={
        <Link to="/login" className="text-primary underline-offset-4 hover:underline">
          {t('forgot.backToSignIn')}
        </Link>
      }
    >
      {actionData?.sentTo ? (
        <p role="status">{t('forgot.sent', { email: actionData.sentTo })}</p>
      ) : (
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <FormErrors id={form.errorId} errors={errorText(form.errors)} />
          <Field
            label={t('email')}
            inputProps={{
              ...getInputProps(fields.email, { type: 'email' }),
              autoComplete: 'email',
              autoFocus: true,
            }}
            errors={errorText(fields.email.errors)}
          />
          <Button type="submit">{t('forgot.submit')}</Button>
        </Form>
      )}
    </AuthLayout>
  )
}
