import { z } from 'zod'

export const ThemeSchema = z.enum(['light', 'dark', 'system'])
export type Theme = z.infer<typeof ThemeSchema>

export const TimeZoneSchema = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}, 'validation.timeZone')

/** Written by the browser itself (see app/root.tsx) so the server formats dates in the user's zone. */
export const timeZoneCookieName = 'tz'
export const themeCookieName = 'theme'
