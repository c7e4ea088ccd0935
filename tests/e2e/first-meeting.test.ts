// The first ten minutes of a new deployment, as people live them: an employee signs up, confirms the
// email, signs in, starts a meeting; a guest opens the link, types a name and reaches the pre-join
// screen with the camera preview playing. In English and Russian, on a desktop and on a phone.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DESKTOP,
  launchBrowser,
  newCheckedPage,
  PHONE,
  screenshotOnFailure,
} from '#tests/fixtures/browser.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'

const scenarios = [
  {
    name: 'English, desktop',
    locale: 'en-US',
    viewport: DESKTOP,
    text: {
      checkEmail: 'Check your email',
      verifySubject: /Confirm your email/,
      createOrganization: 'Create organization',
      signIn: 'Sign in',
      instant: 'Start an instant meeting',
      copied: 'Link copied',
      guestSubmit: 'Continue',
      lobby: 'you will wait in the lobby',
      join: 'Join now',
    },
  },
  {
    name: 'Russian, desktop',
    locale: 'ru-RU',
    viewport: DESKTOP,
    text: {
      checkEmail: 'Проверьте почту',
      verifySubject: /Подтвердите почту/,
      createOrganization: 'Создать организацию',
      signIn: 'Войти',
      instant: 'Начать встречу сейчас',
      copied: 'Ссылка скопирована',
      guestSubmit: 'Продолжить',
      lobby: 'вы подождёте в зале ожидания',
      join: 'Войти',
    },
  },
  {
    name: 'Russian, phone 390×844',
    locale: 'ru-RU',
    viewport: PHONE,
    text: {
      checkEmail: 'Проверьте почту',
      verifySubject: /Подтвердите почту/,
      createOrganization: 'Создать организацию',
      signIn: 'Войти',
      instant: 'Начать встречу сейчас',
      copied: 'Ссылка скопирована',
      guestSubmit: 'Продолжить',
      lobby: 'вы подождёте в зале ожидания',
      join: 'Войти',
    },
  },
] as const

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
})

/** The page must not scroll sideways: everything fits the viewport width. */
async function expectNoHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  )
  expect(overflow).toBeLessThanOrEqual(0)
}

describe.each(scenarios)('$name', (scenario) => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('sign up → confirm email → sign in → instant meeting → guest reaches pre-join with camera preview', async () => {
    const employee = await browser.newContext({
      locale: scenario.locale,
      viewport: scenario.viewport,
      permissions: ['clipboard-write'],
    })
    // Records what the app puts on the clipboard (reading it back needs a focused, headed window).
    await employee.addInitScript(() => {
      const write = Clipboard.prototype.writeText
      Clipboard.prototype.writeText = async function (this: Clipboard, text: string) {
        await write.call(this, text)
        ;(window as unknown as { copiedText: string }).copiedText = text
      }
    })
    const guestContext = await browser.newContext({
      locale: scenario.locale,
      viewport: scenario.viewport,
    })
    const { page, problems } = await newCheckedPage(employee)
    const guest = await newCheckedPage(guestContext)
    await screenshotOnFailure(
      scenario.name,
      () => [page, guest.page],
      async () => {
        const email = `owner-${Date.now()}@example.com`
        const password = 'correct horse battery'

        await page.goto(`${stack.baseUrl}/signup`)
        await page.getByLabel(/name|имя/i).fill('Ольга Организатор')
        await page.getByLabel(/^(email|почта)$/i).fill(email)
        await page.getByLabel(/^(password|пароль)$/i).fill(password)
        await page.getByRole('button', { name: /create account|зарегистрироваться/i }).click()
        await expect
          .poll(() => page.getByRole('heading', { name: scenario.text.checkEmail }).isVisible())
          .toBe(true)
        await expectNoHorizontalScroll(page)

        const mail = await stack.waitForMail(email, scenario.text.verifySubject)
        await page.goto(linkIn(mail))
        await page.waitForURL('**/onboarding')
        await page.getByRole('textbox').fill('Acme')
        await page.getByRole('button', { name: scenario.text.createOrganization }).click()
        await page.waitForURL('**/meetings')

        // A fresh sign-in, as the next morning.
        await employee.clearCookies()
        await page.goto(`${stack.baseUrl}/meetings`)
        await page.waitForURL('**/login**')
        await page.getByLabel(/^(email|почта)$/i).fill(email)
        await page.getByLabel(/^(password|пароль)/i).fill(password)
        await page.getByRole('button', { name: scenario.text.signIn, exact: true }).click()
        await page.waitForURL('**/meetings')
        await expectNoHorizontalScroll(page)

        await page.getByRole('button', { name: scenario.text.instant }).click()
        await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/)
        const inviteUrl = await page.getByTestId('invite-link').inputValue()
        expect(inviteUrl).toMatch(new RegExp(`^${stack.baseUrl}/m/[A-Za-z0-9_-]{24}$`))
        // One click also copied the link, and said so.
        await expect.poll(() => page.getByText(scenario.text.copied).isVisible()).toBe(true)
        expect(
          await page.evaluate(() => (window as unknown as { copiedText: string }).copiedText),
        ).toBe(inviteUrl)
        await expectNoHorizontalScroll(page)

        await guest.page.goto(inviteUrl)
        await guest.page.getByRole('textbox').fill('Гость Петров')
        await guest.page.getByRole('button', { name: scenario.text.guestSubmit }).click()

        const video = guest.page.getByTestId('prejoin-video')
        await expect
          .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
          .toBeGreaterThan(0)
        const firstTime = await video.evaluate((v: HTMLVideoElement) => v.currentTime)
        await expect
          .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
          .toBeGreaterThan(firstTime)
        // The fake microphone beeps: the level meter must move.
        await expect
          .poll(
            () => guest.page.getByTestId('mic-level').getAttribute('aria-valuenow').then(Number),
            { timeout: 10_000 },
          )
          .toBeGreaterThan(0)
        await expect.poll(() => guest.page.getByText(scenario.text.lobby).isVisible()).toBe(true)
        await expect.poll(() => guest.page.getByTestId('join-button').isVisible()).toBe(true)
        expect(await guest.page.getByTestId('join-button').textContent()).toBe(scenario.text.join)
        await expectNoHorizontalScroll(guest.page)

        // Joining a closed meeting as an outsider means waiting in the lobby…
        await guest.page.getByTestId('join-button').click()
        await expect.poll(() => guest.page.getByTestId('lobby-waiting').isVisible()).toBe(true)
        // …while the organizer joins straight in and is listed in the room.
        await page.goto(inviteUrl)
        await page.getByTestId('join-button').click()
        await page.getByTestId('participants-toggle').click()
        await expect
          .poll(() => page.getByTestId('room-participants').textContent(), { timeout: 10_000 })
          .toContain('Ольга Организатор')
      },
    )

    expect(problems).toEqual([])
    expect(guest.problems).toEqual([])
    await employee.close()
    await guestContext.close()
  })
})

describe('bad input in the browser', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('shows inline field errors and keeps what was typed', async () => {
    const context = await browser.newContext({ locale: 'ru-RU', viewport: PHONE })
    const { page, problems } = await newCheckedPage(context)
    await page.goto(`${stack.baseUrl}/signup`)
    await page.getByLabel('Ваше имя').fill('Иван')
    await page.getByLabel('Почта').fill('ivan@')
    await page.getByLabel('Пароль').fill('short')
    await page.getByRole('button', { name: 'Зарегистрироваться' }).click()
    await expect.poll(() => page.getByText('Введите корректный адрес почты').isVisible()).toBe(true)
    await expect.poll(() => page.getByText('Не меньше 8 символов').isVisible()).toBe(true)
    expect(await page.getByLabel('Почта').getAttribute('aria-invalid')).toBe('true')
    expect(await page.getByLabel('Ваше имя').inputValue()).toBe('Иван')
    expect(page.url()).toBe(`${stack.baseUrl}/signup`)
    expect(problems).toEqual([])
    await context.close()
  })

  it('shows the same not-found page for an unknown meeting link', async () => {
    const context = await browser.newContext({ locale: 'en-US' })
    const { page } = await newCheckedPage(context)
    const response = await page.goto(`${stack.baseUrl}/m/AAAAAAAAAAAAAAAAAAAAAAAA`)
    expect(response?.status()).toBe(404)
    expect(await page.getByTestId('error-title').textContent()).toBe('Not found')
    await context.close()
  })
})
