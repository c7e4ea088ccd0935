// GET /dev/mail.json[?to=] — the caught emails for tests and scripts (/dev/mail?format=json lands here).
import type { LoaderFunctionArgs } from '@remix-run/node'
import { listDevMail } from '#app/utils/dev-mail.server.ts'

export async function loader({ request, context }: LoaderFunctionArgs) {
  const mails = await listDevMail(context, new URL(request.url).searchParams.get('to'))
  return Response.json(
    mails.map(({ id, to, subject, text, html, receivedAt }) => ({
      id,
      to,
      subject,
      text,
      html,
      receivedAt,
    })),
    { headers: { 'Cache-Control': 'no-store' } },
  )
}
