// Every page an employee or a guest sees, at the narrowest phone width we support (360 px), in
// both languages: nothing scrolls sideways, the bottom navigation is there, and nothing errors.
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, newCheckedPage, shareCookies } from '#tests/fixtures/browser.ts'
import { createHttpClient, type HttpClient } from '#tests/fixtures/http-client.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'

const NARROW = { width: 360, height: 740 }

let stack: Stack
let browser: Browser
let owner: HttpClient
let meetingPath: string
let invitePath: string

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([startStack(), launchBrowser()])
  const email = `narrow-${Date.now()}@example.com`
  owner = createHttpClient(stack.baseUrl)
  await owner.post('/signup', {
    name: 'Екатерина Длиннофамильная-Узкоэкранова',
    email,
    password: 'a strong passphrase',
  })
  await owner.get(linkIn(await stack.waitForMail(email)))
  await owner.post('/onboarding', { name: 'Очень длинное название организации для проверки' })
  const created = await owner.post('/meetings?index', { intent: 'instant' })
  meetingPath = new URL(created.headers.get('location')!, stack.baseUrl).pathname
  const meeting = await stack.database.db
    .selectFrom('meeting')
    .select('inviteCode')
    .executeTakeFirstOrThrow()
  invitePath = `/m/${meeting.inviteCode}`
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

/** A browser context signed in as the owner, by handing over the HTTP client's cookies. */
async function ownerContext(locale: string): Promise<BrowserContext> {
  const context = await browser.newContext({ locale, viewport: NARROW })
  await shareCookies(context, owner, stack.baseUrl)
  return context
}

describe.each(['ru-RU', 'en-US'])('at 360 px in %s', (locale) => {
  const pages = () => [
    '/chats',
    '/meetings',
    '/meetings/new',
    meetingPath,
    '/calendar',
    '/settings',
    '/settings?tab=preferences',
    '/settings?tab=privacy',
    '/organization',
    invitePath,
  ]

  it('every page fits the screen and keeps the bottom navigation reachable', async () => {
    const context = await ownerContext(locale)
    const { page, problems } = await newCheckedPage(context)
    for (const path of pages()) {
      const response = await page.goto(`${stack.baseUrl}${path}`)
      expect(response?.status(), path).toBe(200)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0)
      if (!path.startsWith('/m/')) {
        const nav = page
          .getByRole('navigation', {
            name: locale === 'ru-RU' ? 'Основная навигация' : 'Main navigation',
          })
          .last()
        expect(await nav.isVisible(), `${path} bottom navigation`).toBe(true)
        const box = await nav.boundingBox()
        expect(box && box.y + box.height, path).toBeLessThanOrEqual(NARROW.height + 1)
      }
    }
    expect(problems).toEqual([])
    await context.close()
  })

  it('the pages before sign-in fit too', async () => {
    const context = await browser.newContext({ locale, viewport: NARROW })
    const { page, problems } = await newCheckedPage(context)
    for (const path of ['/login', '/signup', '/forgot-password', invitePath]) {
      await page.goto(`${stack.baseUrl}${path}`)
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0)
    }
    expect(problems).toEqual([])
    await context.close()
  })
})
