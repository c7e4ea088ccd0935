import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, useActionData, useLoaderData } from '@remix-run/react'
import { randomBytes } from 'node:crypto'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { requireUser } from '#app/utils/auth.server.ts'
import { useErrorText } from '#app/utils/forms.ts'
import {
  getMembership,
  hasAnyOrganization,
  slugify,
  writeAudit,
} from '#app/utils/services.server.ts'

const OnboardingSchema = z.object({
  name: z
    .string({ error: 'validation.required' })
    .trim()
    .min(2, { error: 'validation.required' })
    .max(100, { error: 'validation.tooLong' }),
})

async function nextStep(request: Request, context: LoaderFunctionArgs['context']) {
  const viewer = await requireUser(request, context)
  if (await getMembership({ db: context.app.db, userId: viewer.user.id }))
    throw redirect('/meetings')
  const invitation = await context.app.db
    .selectFrom('invitation')
    .select('id')
    .where('email', '=', viewer.user.email)
    .where('status', '=', 'pending')
    .where('expiresAt', '>', new Date())
    .orderBy('createdAt', 'desc')
    .executeTakeFirst()
  if (invitation) throw redirect(`/invitations/${invitation.id}`)
  return { viewer, canCreate: !(await hasAnyOrganization({ db: context.app.db })) }
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { viewer, canCreate } = await nextStep(request, context)
  return { canCreate, email: viewer.user.email }
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, canCreate } = await nextStep(request, context)
  if (!canCreate) throw new Response('Forbidden', { status: 403 })
  const submission = parseWithZod(await request.formData(), { schema: OnboardingSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })
  const organization = await context.app.auth.api.createOrganization({
    body: {
      name: submission.value.name,
      slug: `${slugify(submission.value.name)}-${randomBytes(3).toString('hex')}`,
    },
    headers: request.headers,
  })
  if (!organization) throw new Response('Could not create the organization', { status: 500 })
  await writeAudit({
    db: context.app.db,
    actorId: viewer.user.id,
    organizationId: organization.id,
    action: 'organization.create',
    targetType: 'organization',
    targetId: organization.id,
    ip: context.clientIp,
  })
  throw redirect('/meetings')
}

export default function OnboardingPage() {
  const { t } = useTranslation('auth')
  const errorText = useErrorText()
  const { canCreate, email } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'onboarding',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: OnboardingSchema }),
    shouldValidate: 'onBlur',
  })
  if (!canCreate) {
    return (
      <AuthLayout title={t('onboarding.waitingTitle')}>
        <p>{t('onboarding.waiting', { email })}</p>
        <Form method="post" action="/logout">
          <Button type="submit" variant="outline">
            {t('nav.signOut', { ns: 'common' })}
          </Button>
        </Form>
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={t('onboarding.title')} description={t('onboarding.description')}>
      <Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={errorText(form.errors)} />
        <Field
          label={t('onboarding.organizationName')}
          inputProps={{
            ...getInputProps(fields.name, { type: 'text' }),
            autoFocus: true,
            autoComplete: 'organization',
          }}
          errors={errorText(fields.name.errors)}
        />
        <Button type="submit">{t('onboarding.submit')}</Button>
      </Form>
    </AuthLayout>
  )
}
