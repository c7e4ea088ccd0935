import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node'
import {
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from '@remix-run/react'
import { useEffect, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Toaster } from '#app/components/ui/toast.tsx'
import stylesheet from './tailwind.css?url'
import { brandStyle } from './utils/brand.ts'
import { timeZoneCookieName } from './utils/preferences.ts'
import { loadShell } from './utils/shell.server.ts'

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesheet },
  { rel: 'manifest', href: '/manifest.webmanifest' },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
]

export async function loader({ request, context }: LoaderFunctionArgs) {
  return loadShell(request, context)
}

export type RootLoader = typeof loader

// Runs before first paint: dark mode without a flash, and the browser's time zone for the server.
function bootScript(theme: string, timeZone: string) {
  return `(()=>{const d=document.documentElement;const t=${JSON.stringify(theme)};
if(t==='dark'||(t==='system'&&matchMedia('(prefers-color-scheme: dark)').matches))d.classList.add('dark');
const z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z&&z!==${JSON.stringify(timeZone)})document.cookie='${timeZoneCookieName}='+encodeURIComponent(z)+';path=/;max-age=31536000;samesite=lax';})()`
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<RootLoader>('root')
  const { i18n } = useTranslation()
  // No root data when the root errored (e.g. a navigation's data request failed): keep the
  // language on screen rather than switching to English for the error page.
  const language = data?.language ?? i18n.resolvedLanguage ?? 'en'
  useEffect(() => {
    if (i18n.language !== language) void i18n.changeLanguage(language)
  }, [i18n, language])
  return (
    <html
      lang={language}
      className={data?.theme === 'dark' ? 'dark' : undefined}
      style={brandStyle(data?.branding?.brandColor)}
      suppressHydrationWarning
    >
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#4f46e5" />
        <Meta />
        <Links />
        <script
          nonce={data?.nonce}
          dangerouslySetInnerHTML={{
            __html: bootScript(data?.theme ?? 'system', data?.timeZone ?? 'UTC'),
          }}
        />
      </head>
      <body className="min-h-dvh bg-background text-foreground antialiased">
        {children}
        <Toaster />
        <ScrollRestoration nonce={data?.nonce} />
        <Scripts nonce={data?.nonce} />
      </body>
    </html>
  )
}

export default function App() {
  useLoaderData<typeof loader>()
  return <Outlet />
}

export function ErrorBoundary() {
  const error = useRouteError()
  const { t } = useTranslation()
  const status = isRouteErrorResponse(error) ? error.status : 500
  const key =
    status === 404
      ? 'notFound'
      : status === 429
        ? 'tooManyRequests'
        : status === 403
          ? 'forbidden'
          : 'unexpected'
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 p-6 text-center">
      <p className="text-6xl font-semibold text-muted-foreground">{status}</p>
      <h1 className="text-2xl font-semibold" data-testid="error-title">
        {t(`errors.${key}.title`)}
      </h1>
      <p className="text-muted-foreground">{t(`errors.${key}.description`)}</p>
      <Link to="/" className="text-primary underline underline-offset-4">
        {t('errors.home')}
      </Link>
    </main>
  )
}
