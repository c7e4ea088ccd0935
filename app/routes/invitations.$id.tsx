import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { AuthLayout } from '#app/components/auth-layout.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { getViewer, requireUser } from '#app/utils/auth.server.ts'
import { writeAudit } from '#app/utils/services.server.ts'

async function loadInvitation(context: LoaderFunctionArgs['context'], id: string | undefined) {
  const invitation = id
    ? await context.app.db
        .selectFrom('invitation')
        .innerJoin('organization', 'organization.id', 'invitation.organizationId')
        .innerJoin('user as inviter', 'inviter.id', 'invitation.inviterId')
        .select([
          'invitation.id',
          'invitation.email',
          'invitation.organizationId',
          'organization.name as organizationName',
          'inviter.name as inviterName',
        ])
        .where('invitation.id', '=', id)
        .where('invitation.status', '=', 'pending')
        .where('invitation.expiresAt', '>', new Date())
        .executeTakeFirst()
    : undefined
  if (!invitation) throw new Response('Not found', { status: 404 })
  return invitation
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const invitation = await loadInvitation(context, params.id)
  const viewer = await getViewer(request, context)
  const signedInAs = viewer && !viewer.user.isAnonymous ? viewer.user.email : null
  return {
    invitation: {
      id: invitation.id,
      email: invitation.email,
      organizationName: invitation.organizationName,
      inviterName: invitation.inviterName,
    },
    signedInAs,
  }
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireUser(request, context)
  const invitation = await loadInvitation(context, params.id)
  if (invitation.email !== viewer.user.email) throw new Response('Forbidden', { status: 403 })
  await context.app.auth.api.acceptInvitation({
    body: { invitationId: invitation.id },
    headers: request.headers,
  })
  await writeAudit({
    db: context.app.db,
    actorId: viewer.user.id,
    organizationId: invitation.organizationId,
    action: 'invitation.accept',
    targetType: 'invitation',
    targetId: invitation.id,
    ip: context.clientIp,
  })
  throw redirect('/meetings')
}

export default function InvitationPage() {
  const { t } = useTranslation('auth')
  const { invitation, signedInAs } = useLoaderData<typeof loader>()
  const vars = {
    organization: invitation.organizationName,
    inviter: invitation.inviterName,
    email: invitation.email,
  }
  const here = `/invitations/${invitation.id}`
  return (
    <AuthLayout title={t('invitation.title', vars)} description={t('invitation.description', vars)}>
      {signedInAs === invitation.email ? (
        <Form method="post">
          <Button type="submit" className="w-full">
            {t('invitation.accept')}
          </Button>
        </Form>
      ) : signedInAs ? (
        <p role="alert">{t('invitation.wrongAccount', vars)}</p>
      ) : (
        <>
          <p>{t('invitation.signInToAccept', vars)}</p>
          <div className="flex flex-wrap gap-2">
            <Button asChild>
              <Link to={`/login?redirectTo=${encodeURIComponent(here)}`}>{t('login.submit')}</Link>
            </Button>
            <Button asChild variant="outline">
              <Link to="/signup">{t('login.signUp')}</Link>
            </Button>
          </div>
        </>
      )}
    </AuthLayout>
  )
}
