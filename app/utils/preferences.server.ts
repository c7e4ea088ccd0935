// Per-browser preferences kept in plain cookies so they apply before sign-in and to guests too.
import {
  isLanguage,
  languageCookieName,
  languageFromAcceptLanguage,
  type Language,
} from '#app/i18n/config.ts'
import {
  ThemeSchema,
  themeCookieName,
  TimeZoneSchema,
  timeZoneCookieName,
  type Theme,
} from './preferences.ts'

const ONE_YEAR = 60 * 60 * 24 * 365

export function readCookie(request: Request, name: string): string | undefined {
  for (const part of (request.headers.get('cookie') ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('='))
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** A year-long cookie, or (`remember: false`, the user's privacy choice) one that ends with the browser session. */
export function preferenceCookie(
  name: string,
  value: string,
  options: { remember?: boolean } = {},
): string {
  const lifetime = options.remember === false ? '' : `; Max-Age=${ONE_YEAR}`
  return `${name}=${encodeURIComponent(value)}; Path=/${lifetime}; SameSite=Lax`
}

export function getRequestLanguage(request: Request): Language {
  const fromCookie = readCookie(request, languageCookieName)
  return isLanguage(fromCookie)
    ? fromCookie
    : languageFromAcceptLanguage(request.headers.get('accept-language'))
}

export function getRequestTheme(request: Request): Theme {
  const parsed = ThemeSchema.safeParse(readCookie(request, themeCookieName))
  return parsed.success ? parsed.data : 'system'
}

export function getRequestTimeZone(request: Request): string {
  const parsed = TimeZoneSchema.safeParse(readCookie(request, timeZoneCookieName))
  return parsed.success ? parsed.data : 'UTC'
}
