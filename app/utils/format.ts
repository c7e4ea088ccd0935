import { useRouteLoaderData } from '@remix-run/react'
import { useMemo } from 'react'
import type { RootLoader } from '#app/root.tsx'

/** Dates in the viewer's language and time zone; server and browser render the same text. */
export function useDateFormatter() {
  const root = useRouteLoaderData<RootLoader>('root')
  const language = root?.language ?? 'en'
  const timeZone = root?.timeZone ?? 'UTC'
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(language, {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone,
    })
    const time = new Intl.DateTimeFormat(language, { timeStyle: 'short', timeZone })
    return {
      timeZone,
      dateTime: (value: Date | string) => dateTime.format(new Date(value)),
      range: (start: Date | string, end: Date | string) =>
        `${dateTime.format(new Date(start))} – ${time.format(new Date(end))}`,
    }
  }, [language, timeZone])
}
