import { useRouteLoaderData } from '@remix-run/react'
import type { RootLoader } from '#app/root.tsx'
import type { loader as chatsLoader } from '#app/routes/_app.chats.tsx'
import type { loader as appLoader } from '#app/routes/_app.tsx'
import { ATTACHMENT_DEFAULT_MAX_BYTES } from '#core/protocol/messenger.ts'

/** Who is looking, in which language and time zone (from the shell's and the root's loaders). */
export function useChatViewer() {
  const app = useRouteLoaderData<typeof appLoader>('routes/_app')
  const root = useRouteLoaderData<RootLoader>('root')
  const chats = useRouteLoaderData<typeof chatsLoader>('routes/_app.chats')
  return {
    attachmentMaxBytes: chats?.attachmentMaxBytes ?? ATTACHMENT_DEFAULT_MAX_BYTES,
    userId: app?.user.id ?? '',
    language: root?.language ?? 'en',
    timeZone: root?.timeZone ?? 'UTC',
  }
}
