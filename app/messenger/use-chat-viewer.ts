import { useRouteLoaderData } from '@remix-run/react'
import type { RootLoader } from '#app/root.tsx'
import type { loader as appLoader } from '#app/routes/_app.tsx'

/** Who is looking, in which language and time zone (from the shell's and the root's loaders). */
export function useChatViewer() {
  const app = useRouteLoaderData<typeof appLoader>('routes/_app')
  const root = useRouteLoaderData<RootLoader>('root')
  return {
    userId: app?.user.id ?? '',
    language: root?.language ?? 'en',
    timeZone: root?.timeZone ?? 'UTC',
  }
}
