// Development inbox: the emails the SMTP catcher (server/mail-catcher.ts) stored, with their links
// clickable so verification, magic and invitation links can be followed without a mail client.
import { redirect, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitcher } from '#app/components/language-switcher.tsx'
import { Button } from '#app/components/ui/button.tsx'
import { Card, CardContent, CardHeader, CardTitle } from '#app/components/ui/card.tsx'
import { Field } from '#app/components/ui/field.tsx'
import { listDevMail, requireMailCatcher } from '#app/utils/dev-mail.server.ts'
import { useDateFormatter } from '#app/utils/format.ts'
import { extractLinks, splitLinks } from '#app/utils/mail-links.ts'

// The catcher keeps up to 500 emails; rendering all of them makes the page slow to use.
const MAX_SHOWN = 100

export const meta: MetaFunction = () => [
  { title: 'Vstrecha · dev mail' },
  { name: 'robots', content: 'noindex' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireMailCatcher(context)
  const url = new URL(request.url)
  // A page route cannot answer a document request with raw JSON, so the JSON lives in a resource route.
  if (url.searchParams.get('format') === 'json') {
    url.searchParams.delete('format')
    throw redirect(`/dev/mail.json${url.search}`)
  }
  const to = url.searchParams.get('to')?.trim() ?? ''
  const mails = await listDevMail(context, to)
  return {
    to,
    total: mails.length,
    mails: mails.slice(0, MAX_SHOWN).map((mail) => ({
      id: mail.id,
      to: mail.to,
      from: mail.from,
      subject: mail.subject,
      text: mail.text,
      receivedAt: mail.receivedAt,
      links: extractLinks(mail.text, mail.html),
    })),
  }
}

type Mail = Awaited<ReturnType<typeof loader>>['mails'][number]

export default function DevMailPage() {
  const { t } = useTranslation('settings')
  const { to, total, mails } = useLoaderData<typeof loader>()
  const jsonHref = `/dev/mail.json${to ? `?to=${encodeURIComponent(to)}` : ''}`
  return (
    <main className="mx-auto grid w-full max-w-4xl gap-6 px-4 py-8 md:px-8">
      <header className="flex flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1">
          <h1 className="text-2xl font-semibold">{t('devMail.title')}</h1>
          <p className="text-sm text-muted-foreground">{t('devMail.description')}</p>
        </div>
        <LanguageSwitcher className="shrink-0" />
      </header>

      <Form method="get" className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <Field
          className="flex-1"
          label={t('devMail.filterLabel')}
          inputProps={{
            key: to,
            name: 'to',
            type: 'email',
            defaultValue: to,
            placeholder: t('devMail.filterPlaceholder'),
            autoComplete: 'off',
          }}
        />
        <div className="flex flex-wrap gap-2">
          <Button type="submit">{t('devMail.filter')}</Button>
          {to ? (
            <Button asChild variant="outline">
              <Link to="/dev/mail">{t('devMail.showAll')}</Link>
            </Button>
          ) : null}
          <Button asChild variant="ghost">
            <a href={jsonHref}>{t('devMail.json')}</a>
          </Button>
        </div>
      </Form>

      <div className="grid gap-1 text-sm text-muted-foreground" role="status">
        <p>{t('devMail.total', { count: total })}</p>
        {total > mails.length ? (
          <p>{t('devMail.truncated', { shown: mails.length, count: total })}</p>
        ) : null}
      </div>

      {mails.length === 0 ? (
        <p className="rounded-lg border border-dashed p-6 text-center text-muted-foreground">
          {to ? t('devMail.emptyFiltered', { to }) : t('devMail.empty')}
        </p>
      ) : (
        <ol className="grid gap-4">
          {mails.map((mail) => (
            <li key={mail.id}>
              <MailCard mail={mail} />
            </li>
          ))}
        </ol>
      )}
    </main>
  )
}

function MailCard({ mail }: { mail: Mail }) {
  const { t } = useTranslation('settings')
  const format = useDateFormatter()
  return (
    <Card data-testid="dev-mail">
      <CardHeader className="gap-3">
        <CardTitle asChild>
          <h2 className="break-words">{mail.subject || t('devMail.noSubject')}</h2>
        </CardTitle>
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm">
          <dt className="text-muted-foreground">{t('devMail.to')}</dt>
          <dd className="break-all">{mail.to.join(', ')}</dd>
          <dt className="text-muted-foreground">{t('devMail.from')}</dt>
          <dd className="break-all">{mail.from}</dd>
          <dt className="text-muted-foreground">{t('devMail.received')}</dt>
          <dd>
            <time dateTime={mail.receivedAt}>{format.dateTime(mail.receivedAt)}</time>
          </dd>
        </dl>
      </CardHeader>
      <CardContent className="grid gap-4">
        {mail.links.length > 0 ? (
          <section className="grid gap-2" aria-label={t('devMail.links')}>
            <h3 className="text-sm font-medium">{t('devMail.links')}</h3>
            <ul className="grid gap-1 text-sm">
              {mail.links.map((link) => (
                <li key={link}>
                  <a
                    href={link}
                    className="break-all text-primary underline underline-offset-4 hover:no-underline"
                  >
                    {link}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <section className="grid gap-2" aria-label={t('devMail.body')}>
          <h3 className="text-sm font-medium">{t('devMail.body')}</h3>
          {mail.text ? (
            <pre className="max-h-96 overflow-auto rounded-md bg-muted p-3 font-sans text-sm break-words whitespace-pre-wrap">
              {splitLinks(mail.text).map((part, index) =>
                part.type === 'link' ? (
                  <a
                    key={index}
                    href={part.value}
                    className="break-all text-primary underline underline-offset-4"
                  >
                    {part.value}
                  </a>
                ) : (
                  <span key={index}>{part.value}</span>
                ),
              )}
            </pre>
          ) : (
            <p className="text-sm text-muted-foreground">{t('devMail.noText')}</p>
          )}
        </section>
      </CardContent>
    </Card>
  )
}
