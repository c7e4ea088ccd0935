// Every user-visible string lives in app/i18n/{en,ru}/<namespace>.ts; i18n.test.ts fails when a key
// exists in one language only.
import enAuth from './en/auth.ts'
import enChat from './en/chat.ts'
import enCommon from './en/common.ts'
import enMeetings from './en/meetings.ts'
import enMessenger from './en/messenger.ts'
import enSettings from './en/settings.ts'
import enUi from './en/ui.ts'
import ruAuth from './ru/auth.ts'
import ruChat from './ru/chat.ts'
import ruCommon from './ru/common.ts'
import ruMeetings from './ru/meetings.ts'
import ruMessenger from './ru/messenger.ts'
import ruSettings from './ru/settings.ts'
import ruUi from './ru/ui.ts'

export const supportedLanguages = ['ru', 'en'] as const
export type Language = (typeof supportedLanguages)[number]
export const fallbackLanguage: Language = 'en'
export const languageCookieName = 'lng'

export const resources = {
  en: {
    common: enCommon,
    ui: enUi,
    auth: enAuth,
    meetings: enMeetings,
    settings: enSettings,
    chat: enChat,
    messenger: enMessenger,
  },
  ru: {
    common: ruCommon,
    ui: ruUi,
    auth: ruAuth,
    meetings: ruMeetings,
    settings: ruSettings,
    chat: ruChat,
    messenger: ruMessenger,
  },
} as const

export const namespaces = Object.keys(resources.en) as (keyof (typeof resources)['en'])[]

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (supportedLanguages as readonly string[]).includes(value)
}

/** Picks the best supported language from an Accept-Language header. */
export function languageFromAcceptLanguage(header: string | null | undefined): Language {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.find((p) => p.trim().startsWith('q='))
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q.trim().slice(2)) : 1 }
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q)
  return ranked.map((entry) => entry.lang).find(isLanguage) ?? fallbackLanguage
}
