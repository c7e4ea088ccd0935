import { getFormProps, getInputProps, useForm } from '@conform-to/react'
import { parseWithZod } from '@conform-to/zod/v4'
import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { PreJoin } from '#app/components/prejoin.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Field, FormErrors } from '#app/components/ui/field.tsx'
import { authCookies } from '#app/utils/auth.server.ts'
import { PersonNameSchema, useErrorText } from '#app/utils/forms.ts'
import {
  findInvitedMeeting,
  inviteUrlFor,
  notFound,
  resolveInvite,
} from '#app/utils/invite.server.ts'
import { getRequestLanguage } from '#app/utils/preferences.server.ts'
import { enterMeeting, writeAudit } from '#app/utils/services.server.ts'

const GuestSchema = z.object({ name: PersonNameSchema })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.meeting.title ?? 'Vstrecha' },
]

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { meeting, viewer, participant } = await resolveInvite(request, context, params.code)
  return {
    meeting: { title: meeting.title, code: meeting.inviteCode, status: meeting.status },
    participant:
      participant && viewer
        ? {
            displayName: participant.displayName,
            status: participant.status,
            role: participant.role,
            userId: viewer.user.id,
          }
        : null,
    // Only insiders get the shareable link on this page; guests already have it.
    inviteUrl:
      participant && participant.role !== 'guest'
        ? inviteUrlFor(request, meeting.inviteCode)
        : null,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const meeting = await findInvitedMeeting(context, params.code)
  // A locked meeting takes nobody new, and says so exactly like an unknown code.
  if (meeting.isLocked) throw notFound()
  const submission = parseWithZod(await request.formData(), { schema: GuestSchema })
  if (submission.status !== 'success') return data({ result: submission.reply() }, { status: 400 })

  // A fresh guest identity for this meeting; the request's cookies are left out so an existing guest
  // session (scoped to another meeting) does not carry over.
  const headers = new Headers(request.headers)
  headers.delete('cookie')
  const response = await context.app.auth.api.signInAnonymous({ headers, asResponse: true })
  if (!response.ok) throw new Response('Could not start a guest session', { status: 500 })
  const { user } = (await response.json()) as { user: { id: string } }
  await context.app.db
    .updateTable('user')
    .set({ name: submission.value.name, locale: getRequestLanguage(request) })
    .where('id', '=', user.id)
    .execute()
  await enterMeeting({
    db: context.app.db,
    meeting,
    entrant: {
      userId: user.id,
      displayName: submission.value.name,
      isGuest: true,
      isOrgMember: false,
    },
    notifier: context.app.realtime,
  })
  context.log.info({ userId: user.id, meetingId: meeting.id }, 'guest entered a meeting')
  await writeAudit({
    db: context.app.db,
    actorId: user.id,
    organizationId: meeting.organizationId,
    action: 'meeting.guest-enter',
    targetType: 'meeting',
    targetId: meeting.id,
    ip: context.clientIp,
  })
  throw redirect(`/m/${meeting.inviteCode}`, { headers: authCookies(response) })
}

export default function InvitePage() {
  const { meeting, participant, inviteUrl } = useLoaderData<typeof loader>()
  if (!participant) return <GuestNameForm title={meeting.title} />
  return <PreJoin meeting={meeting} participant={participant} inviteUrl={inviteUrl} />
}

function GuestNameForm({ title }: { title: string }) {
  const { t } = useTranslation('meetings')
  const errorText = useErrorText()
  const location = useLocation()
  const actionData = useActionData<typeof action>()
  const [form, fields] = useForm({
    id: 'guest',
    lastResult: actionData?.result,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: GuestSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
  })
  return (
    <AuthLayout
      title={t('guest.title', { title })}
      description={t('guest.description')}
      footer={
        <>
          {t('guest.haveAccount')}{' '}
          <Link
            to={`/login?redirectTo=${encodeURIComponent(location.pathname)}`}
            className="font-medium text-primary underline-offset-4 hover:underline"
          >
            {t('guest.signIn')}
          </Link>
        </>
      }
    >
      <Form method="post" className="grid gap-4" {...getFormProps(form)}>
        <FormErrors id={form.errorId} errors={errorText(form.errors)} />
        <Field
          label={t('guest.name')}
          inputProps={{
            ...getInputProps(fields.name, { type: 'text' }),
            autoComplete: 'name',
            autoFocus: true,
            maxLength: 80,
          }}
          errors={errorText(fields.name.errors)}
        />
        <Button type="submit">{t('guest.submit')}</Button>
      </Form>
    </AuthLayout>
  )
}
