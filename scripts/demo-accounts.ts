// The demo organization that scripts/seed.ts creates. One source of truth: the seed creates exactly
// these accounts and prints them with formatDemoLogins(), and scripts/up.sh shows that output.
import type { OrgRole } from '#core/db/types.ts'

export const DEMO_PASSWORD = 'demo-password-2026'

export const DEMO_ORGANIZATION = { name: 'Demo Company', slug: 'demo' } as const

export type DemoAccount = {
  email: string
  name: string
  role: OrgRole
  locale: 'ru' | 'en'
}

/** The first account is the organization's owner and organizes the demo meeting. */
export const DEMO_ACCOUNTS: readonly [DemoAccount, ...DemoAccount[]] = [
  { email: 'admin@demo.vstrecha.local', name: 'Анна Админова', role: 'owner', locale: 'ru' },
  { email: 'alice@demo.vstrecha.local', name: 'Alice Member', role: 'member', locale: 'en' },
  { email: 'boris@demo.vstrecha.local', name: 'Борис Участник', role: 'member', locale: 'ru' },
]

export const DEMO_MEETING = {
  title: 'Weekly planning / Планёрка',
  /** Wall-clock start on the next Monday in this zone. */
  time: '10:00',
  timeZone: 'Europe/Moscow',
  durationMinutes: 60,
} as const

/** A public announcement channel of the whole demo company, with a first post by its owner. */
export const DEMO_CHANNEL = {
  title: 'Announcements / Объявления',
  description: 'Company news: only admins post here / Новости компании: пишут только админы',
  welcome:
    '**Welcome to Vstrecha!** Meetings, chats and files in one place. ' +
    '**Добро пожаловать во «Встречу»!** Встречи, чаты и файлы в одном месте.',
  /** The welcome post's idempotency key: a second seed finds it instead of posting again. */
  welcomeKey: '7c1d3f0e-5b1a-4c59-9a55-2f0b8c7e4d11',
} as const

export function formatDemoLogins(): string {
  const width = Math.max(...DEMO_ACCOUNTS.map((account) => account.email.length))
  const lines = DEMO_ACCOUNTS.map(
    (account) => `  ${account.email.padEnd(width)}  ${account.role.padEnd(6)}  ${account.name}`,
  )
  return [`Demo logins (password: ${DEMO_PASSWORD})`, ...lines].join('\n')
}
