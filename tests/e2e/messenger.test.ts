// The messenger in Chromium: two people of one organization in separate browser contexts. A direct
// chat with a reaction seen by the other, an image attachment previewed on the other side, a
// message forwarded into a group with its attribution, a channel where a member reads but cannot
// post, an XSS corpus that stays text on the recipient's screen, and the direct chat again at
// phone width (390×844) where the list and the conversation are separate screens.
import { randomUUID } from 'node:crypto'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { joinMeetingConversation } from '#server/services/chat.ts'
import { postConversationMessage } from '#server/services/messenger.ts'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  DESKTOP,
  PHONE,
  launchBrowser,
  newCheckedPage,
  screenshotOnFailure,
  shareCookies,
} from '#tests/fixtures/browser.ts'
import { addOrganizationMembers, createMeeting } from '#tests/fixtures/factories.ts'
import { createHttpClient, type HttpClient } from '#tests/fixtures/http-client.ts'
import { connectSignaling } from '#tests/fixtures/signaling.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'
import { XSS_CORPUS } from '#tests/fixtures/xss-corpus.ts'

const ALICE = 'Алиса Отправкина'
const ATTACHMENT_LIMIT = 200_000
const BOB = 'Борис Получатель'

let stack: Stack
let browser: Browser
let alice: HttpClient
let bob: HttpClient
let bobId: string
let aliceId: string
const contexts: BrowserContext[] = []

async function signUp(name: string, email: string): Promise<HttpClient> {
  const client = createHttpClient(stack.baseUrl)
  await client.post('/signup', { name, email, password: 'a strong passphrase' })
  await client.get(linkIn(await stack.waitForMail(email)))
  return client
}

beforeAll(async () => {
  ;[stack, browser] = await Promise.all([
    // A small upload limit so the size check is quick to hit.
    startStack({ env: { ATTACHMENT_MAX_BYTES: String(ATTACHMENT_LIMIT) } }),
    launchBrowser(),
  ])
  const stamp = Date.now()
  alice = await signUp(ALICE, `alice-${stamp}@example.com`)
  await alice.post('/onboarding', { name: 'Рога и копыта' })
  bob = await signUp(BOB, `bob-${stamp}@example.com`)
  const { db } = stack.database
  const organization = await db.selectFrom('organization').select('id').executeTakeFirstOrThrow()
  const idOf = async (email: string) =>
    (await db.selectFrom('user').select('id').where('email', '=', email).executeTakeFirstOrThrow())
      .id
  aliceId = await idOf(`alice-${stamp}@example.com`)
  bobId = await idOf(`bob-${stamp}@example.com`)
  await addOrganizationMembers(db, organization.id, [bobId])
})
afterEach(async () => {
  // Another tab left open would read the next test's messages (read markers sync across tabs).
  for (const context of contexts.splice(0)) await context.close().catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
})

type Person = { page: Page; problems: string[] }

async function open(
  client: HttpClient,
  viewport: { width: number; height: number },
  locale = 'en-US',
): Promise<Person> {
  const context = await browser.newContext({ locale, viewport })
  contexts.push(context)
  await shareCookies(context, client, stack.baseUrl)
  const person = await newCheckedPage(context)
  // Any dialog (alert from an injected script) is a failure.
  person.page.on('dialog', (dialog) => {
    person.problems.push(`dialog: ${dialog.message()}`)
    void dialog.dismiss()
  })
  await person.page.goto(`${stack.baseUrl}/chats`)
  await person.page.getByTestId('conversation-list').waitFor()
  return person
}

/** Opens (or creates) the direct chat with `name` from the New conversation dialog. */
async function openDirect(page: Page, name: string) {
  await page.getByRole('button', { name: 'New conversation' }).first().click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name }).click()
  await page.waitForURL(/\/chats\/[0-9a-f-]{36}$/)
  await page.getByTestId('conversation-title').filter({ hasText: name }).waitFor()
}

/** The list entry whose title is exactly `title` (previews may mention the same name). */
function listItem(page: Page, title: string) {
  return page
    .getByTestId('conversation-item')
    .filter({ has: page.getByTestId('conversation-item-title').getByText(title, { exact: true }) })
}

async function openConversation(page: Page, title: string) {
  await listItem(page, title).click()
  await page.getByTestId('conversation-title').filter({ hasText: title }).waitFor()
}

async function send(page: Page, text: string) {
  const composer = page.getByRole('textbox', { name: 'Message' })
  await composer.fill(text)
  await composer.press('Enter')
  // Acknowledged: no bubble is left pending.
  await expect.poll(() => page.getByTestId('pending-message').count()).toBe(0)
}

function messageWith(page: Page, text: string) {
  // The first: a later reply quotes the text too.
  return page.getByTestId('message').filter({ hasText: text }).first()
}

async function messageAction(page: Page, text: string, item: string | RegExp) {
  const message = messageWith(page, text)
  await message.hover()
  await message.getByRole('button', { name: 'Message actions' }).click()
  await page.getByRole('menuitem', { name: item }).click()
}

/** The items of a message's action menu (the menu is closed again). */
async function messageActions(page: Page, text: string): Promise<string[]> {
  const message = messageWith(page, text)
  await message.hover()
  await message.getByRole('button', { name: 'Message actions' }).click()
  const items = page.getByRole('menuitem')
  await items.first().waitFor()
  const names = (await items.allTextContents()).map((name) => name.trim())
  await page.keyboard.press('Escape')
  await page.getByRole('menu').waitFor({ state: 'detached' })
  return names
}

/** A real PNG for the upload: a screenshot of a piece of the page. */
async function pngOf(page: Page): Promise<Buffer> {
  return page.screenshot({ clip: { x: 0, y: 0, width: 120, height: 80 } })
}

describe('messenger', () => {
  it('direct chat: a reaction, an image with preview, a forward into a group and an @mention reach the other person', async () => {
    const a = await open(alice, DESKTOP)
    const b = await open(bob, DESKTOP)
    await screenshotOnFailure(
      'messenger-direct',
      () => [a.page, b.page],
      async () => {
        await openDirect(a.page, BOB)
        await send(a.page, 'Привет, **Борис**! _Как дела?_')
        expect(await messageWith(a.page, 'Привет').locator('strong').textContent()).toBe('Борис')

        // Bob sees the chat with an unread badge, opens it, the badge goes away.
        const item = listItem(b.page, ALICE)
        await expect.poll(() => item.getByTestId('unread-badge').textContent()).toBe('1')
        await openConversation(b.page, ALICE)
        await messageWith(b.page, 'Привет').waitFor()
        expect(await messageWith(b.page, 'Привет').locator('em').textContent()).toBe('Как дела?')
        await expect.poll(() => item.getByTestId('unread-badge').count()).toBe(0)
        // Alice's message shows as read once Bob has it on screen.
        await messageWith(a.page, 'Привет').getByTestId('status-read').waitFor()

        // Bob reacts; Alice sees the count and who.
        await messageAction(b.page, 'Привет', 'React with 👍')
        const reaction = messageWith(a.page, 'Привет').getByTestId('reaction')
        await expect.poll(() => reaction.textContent()).toContain('1')
        expect(await reaction.getAttribute('title')).toBe(BOB)

        // Typing shows on the other side; a reply quotes; an edit and a deletion reach Bob.
        await a.page.getByRole('textbox', { name: 'Message' }).fill('Опечтка')
        await b.page
          .getByTestId('typing')
          .filter({ hasText: `${ALICE} is typing` })
          .waitFor()
        await a.page.getByRole('textbox', { name: 'Message' }).press('Enter')
        await messageWith(b.page, 'Опечтка').waitFor()
        await messageAction(b.page, 'Привет', 'Reply')
        await send(b.page, 'Всё отлично')
        const reply = messageWith(a.page, 'Всё отлично')
        await reply.waitFor()
        expect(await reply.getByTestId('reply-quote').textContent()).toContain('Привет, Борис!')
        await messageAction(a.page, 'Опечтка', 'Edit')
        await a.page.getByRole('textbox', { name: 'Message' }).fill('Опечатка исправлена')
        await a.page.getByRole('textbox', { name: 'Message' }).press('Enter')
        await messageWith(b.page, 'Опечатка исправлена').getByText('edited').waitFor()
        await messageAction(a.page, 'Опечатка исправлена', 'Delete')
        await a.page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
        await b.page.getByTestId('message-deleted').waitFor()
        expect(await messageWith(b.page, 'Опечатка').count()).toBe(0)
        // Alice pins her greeting: the pinned bar shows it to Bob.
        await messageAction(a.page, 'Привет', 'Pin')
        await b.page.getByTestId('pinned-bar').filter({ hasText: 'Привет, Борис!' }).waitFor()

        // A file over the server's limit is refused before it uploads, with the limit in words.
        await a.page.getByTestId('file-input').setInputFiles({
          name: 'huge.bin',
          mimeType: 'application/octet-stream',
          buffer: Buffer.alloc(ATTACHMENT_LIMIT + 1),
        })
        const refused = a.page.locator('[data-testid="upload"][data-status="failed"]')
        expect(await refused.getByRole('alert').textContent()).toBe(
          'Too large: files up to 195.3 kB',
        )
        await refused.getByRole('button', { name: 'Remove huge.bin' }).click()

        // An image from Alice: uploaded with progress, thumbnail and preview on Bob's side.
        await a.page.getByTestId('file-input').setInputFiles({
          name: 'photo.png',
          mimeType: 'image/png',
          buffer: await pngOf(a.page),
        })
        await a.page.locator('[data-testid="upload"][data-status="done"]').waitFor()
        await send(a.page, 'Фото с доски')
        const thumbnail = messageWith(b.page, 'Фото с доски').getByTestId('image-attachment')
        await thumbnail.waitFor()
        await expect
          .poll(() =>
            thumbnail.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth),
          )
          .toBeGreaterThan(0)
        await thumbnail.click()
        const preview = b.page.getByTestId('image-preview')
        await preview.waitFor()
        await expect
          .poll(() => preview.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
          .toBe(120)
        await b.page.keyboard.press('Escape')

        // A group with Bob, then Alice forwards her first message into it.
        await a.page.getByRole('button', { name: 'New conversation' }).first().click()
        const dialog = a.page.getByRole('dialog')
        await dialog.getByRole('tab', { name: 'Group' }).click()
        await dialog.getByLabel('Group name').fill('Проектная группа')
        await dialog.getByRole('checkbox').first().check()
        await dialog.getByRole('button', { name: 'Create group' }).click()
        await a.page
          .getByTestId('conversation-title')
          .filter({ hasText: 'Проектная группа' })
          .waitFor()
        await openConversation(a.page, BOB)
        await messageAction(a.page, 'Привет', 'Forward')
        await a.page.getByRole('dialog').getByRole('button', { name: 'Проектная группа' }).click()

        await openConversation(b.page, 'Проектная группа')
        const forwarded = messageWith(b.page, 'Привет')
        await forwarded.waitFor()
        // From a direct chat: the sender only (its title is the recipient's name, not for others).
        expect(await forwarded.getByTestId('forwarded-from').textContent()).toBe(
          `Forwarded from ${ALICE}`,
        )

        // Bob @mentions Alice from the autocomplete; Alice, in another conversation, gets a toast.
        const composer = b.page.getByRole('textbox', { name: 'Message' })
        await composer.fill('@Ал')
        await b.page.getByRole('option', { name: new RegExp(ALICE) }).waitFor()
        await composer.press('Enter')
        expect(await composer.inputValue()).toBe(`@${ALICE} `)
        await composer.pressSequentially('глянь')
        await composer.press('Enter')
        await a.page
          .getByText(`${BOB} mentioned you in Проектная группа`, { exact: true })
          .waitFor({ timeout: 10_000 })
        await openConversation(a.page, 'Проектная группа')
        // The title shows before the conversation's messages are loaded.
        await messageWith(a.page, 'глянь').waitFor()
        expect(
          await messageWith(a.page, 'глянь').getByText(`@${ALICE}`, { exact: true }).count(),
        ).toBe(1)
        expect(a.problems).toEqual([])
        expect(b.problems).toEqual([])
      },
    )
  })

  it('a channel member reads and reacts but sees a read-only notice instead of the composer; search finds the post', async () => {
    const a = await open(alice, DESKTOP)
    const b = await open(bob, DESKTOP)
    await screenshotOnFailure(
      'messenger-channel',
      () => [a.page, b.page],
      async () => {
        await a.page.getByRole('button', { name: 'New conversation' }).first().click()
        const dialog = a.page.getByRole('dialog')
        await dialog.getByRole('tab', { name: 'Channel' }).click()
        await dialog.getByLabel('Channel name').fill('Объявления')
        await dialog.getByRole('button', { name: 'Create channel' }).click()
        await a.page.getByTestId('conversation-title').filter({ hasText: 'Объявления' }).waitFor()
        await send(a.page, 'Завтра офис закрыт')

        await b.page.getByRole('button', { name: 'Channel directory' }).click()
        const directory = b.page.getByRole('dialog')
        await directory
          .getByRole('listitem')
          .filter({ hasText: 'Объявления' })
          .getByRole('button', { name: 'Join' })
          .click()
        await b.page.getByTestId('conversation-title').filter({ hasText: 'Объявления' }).waitFor()
        await messageWith(b.page, 'Завтра офис закрыт').waitFor()
        await b.page.getByTestId('read-only-notice').waitFor()
        expect(await b.page.getByRole('textbox', { name: 'Message' }).count()).toBe(0)

        // Reading and reacting stay possible.
        await messageAction(b.page, 'Завтра офис закрыт', 'React with 🎉')
        await expect
          .poll(() => messageWith(a.page, 'Завтра офис закрыт').getByTestId('reaction').count())
          .toBe(1)

        // Full-text search across my conversations finds it (Russian stemming: «офиса» → «офис»).
        await b.page.goto(`${stack.baseUrl}/chats`)
        await b.page.getByRole('searchbox', { name: 'Search chats and messages…' }).fill('офиса')
        const hit = b.page.getByTestId('search-hits').getByRole('button').first()
        await expect.poll(() => hit.textContent()).toContain('Объявления')
        expect(await hit.locator('mark').first().textContent()).toBe('офис')
        await hit.click()
        await b.page.waitForURL(/[?&]message=/)
        await messageWith(b.page, 'Завтра офис закрыт').waitFor()
        expect(a.problems).toEqual([])
        expect(b.problems).toEqual([])
      },
    )
  })

  it('an XSS corpus arrives as inert text: no dialog, no script, no injected elements', async () => {
    const a = await open(alice, DESKTOP)
    const b = await open(bob, DESKTOP)
    await screenshotOnFailure(
      'messenger-xss',
      () => [a.page, b.page],
      async () => {
        await openDirect(a.page, BOB)
        await openConversation(b.page, ALICE)
        for (const payload of XSS_CORPUS) await send(a.page, payload)
        await send(a.page, 'corpus done')
        await messageWith(b.page, 'corpus done').waitFor()

        const list = b.page.getByTestId('message-list')
        // Every payload is on screen as text.
        const text = await list.textContent()
        expect(text).toContain('<script>window.__xss=1;alert(1)</script>')
        expect(text).toContain('<img src=x onerror="window.__xss=1;alert(1)">')
        const injected = await list.evaluate((root) => ({
          elements: root.querySelectorAll(
            'script, img:not([src^="/api/attachments/"]), svg:not(.lucide), iframe, details, b, object, embed',
          ).length,
          handlers: [...root.querySelectorAll('*')].filter((element) =>
            [...element.attributes].some((attribute) => attribute.name.startsWith('on')),
          ).length,
          badLinks: [...root.querySelectorAll('a')].filter(
            (link) =>
              !/^(https?:|mailto:|\/api\/attachments\/)/.test(link.getAttribute('href') ?? ''),
          ).length,
        }))
        expect(injected).toEqual({ elements: 0, handlers: 0, badLinks: 0 })
        // Hovering and clicking the would-be links runs nothing either.
        for (const link of await list.locator('a').all()) await link.hover()
        expect(await b.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
        expect(await a.page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
        expect(a.problems).toEqual([])
        expect(b.problems).toEqual([])
      },
    )
  })

  it('two tabs of one person stay in sync: new messages, read markers, edits', async () => {
    const a = await open(alice, DESKTOP)
    const first = await open(bob, DESKTOP)
    // A second tab in the same browser profile.
    const second = await newCheckedPage(first.page.context())
    await second.page.goto(`${stack.baseUrl}/chats`)
    await second.page.getByTestId('conversation-list').waitFor()
    await screenshotOnFailure(
      'messenger-tabs',
      () => [a.page, first.page, second.page],
      async () => {
        await openDirect(a.page, BOB)
        await send(a.page, 'Для двух вкладок')
        // The second tab shows it unread until the first tab reads it.
        const item = listItem(second.page, ALICE)
        await item.getByTestId('unread-badge').waitFor()
        await openConversation(first.page, ALICE)
        await messageWith(first.page, 'Для двух вкладок').waitFor()
        await expect.poll(() => item.getByTestId('unread-badge').count()).toBe(0)
        // An edit reaches both tabs.
        await openConversation(second.page, ALICE)
        await messageAction(a.page, 'Для двух вкладок', 'Edit')
        await a.page.getByRole('textbox', { name: 'Message' }).fill('Для двух вкладок, исправлено')
        await a.page.getByRole('textbox', { name: 'Message' }).press('Enter')
        for (const page of [first.page, second.page]) {
          await messageWith(page, 'исправлено').getByText('edited').waitFor()
        }
        // What one tab sends appears in the other.
        await send(first.page, 'Ответ из первой вкладки')
        await messageWith(second.page, 'Ответ из первой вкладки').waitFor()
        expect([...a.problems, ...first.problems, ...second.problems]).toEqual([])
      },
    )
  })

  it('older history loads by cursor on scroll up, and a gap in live delivery is filled in order', async () => {
    const socket = await connectSignaling(stack.baseUrl, alice.cookieHeader())
    const { conversation } = await socket.call('messenger:createGroup', {
      title: 'Длинная история',
      memberIds: [bobId],
    })
    // Straight through the service: stored in order, no live fan-out (and no rate limit).
    const store = (text: string) =>
      postConversationMessage({
        db: stack.database.db,
        userId: aliceId,
        conversationId: conversation.id,
        body: text,
        idempotencyKey: randomUUID(),
      })
    for (let n = 1; n <= 130; n++) await store(`Сообщение ${n}`)

    const b = await open(bob, DESKTOP)
    await screenshotOnFailure(
      'messenger-history',
      () => [b.page],
      async () => {
        await openConversation(b.page, 'Длинная история')
        await messageWith(b.page, 'Сообщение 130').waitFor()
        const list = b.page.getByTestId('message-list')
        // Only the newest page at first.
        expect(await list.locator('[data-seq="1"]').count()).toBe(0)
        const seqs = () =>
          list
            .getByTestId('message')
            .evaluateAll((nodes) => nodes.map((node) => Number(node.getAttribute('data-seq'))))
        // Scrolling up pages back until the first message is there.
        await expect
          .poll(
            async () => {
              await list.evaluate((element) => element.scrollTo({ top: 0 }))
              return (await seqs()).length
            },
            { timeout: 20_000 },
          )
          .toBe(130)
        expect(await seqs()).toEqual(Array.from({ length: 130 }, (_, i) => i + 1))

        // Five messages Bob's socket never hears of, then one it does: the client sees the hole
        // and fetches what is missing, in order and once each.
        for (let n = 131; n <= 135; n++) await store(`Сообщение ${n}`)
        await socket.call('messenger:post', {
          conversationId: conversation.id,
          body: 'Сообщение 136',
          idempotencyKey: randomUUID(),
        })
        await messageWith(b.page, 'Сообщение 136').waitFor()
        await expect.poll(seqs).toEqual(Array.from({ length: 136 }, (_, i) => i + 1))
        expect(b.problems).toEqual([])
      },
    )
    socket.close()
  })

  it('channel admins rename and describe it, change roles and delete others’ messages; a meeting’s moderator does too; unread messages open under a “New messages” line', async () => {
    const a = await open(alice, DESKTOP)
    const b = await open(bob, DESKTOP)
    await screenshotOnFailure(
      'messenger-admin',
      () => [a.page, b.page],
      async () => {
        await a.page.getByRole('button', { name: 'New conversation' }).first().click()
        const create = a.page.getByRole('dialog')
        await create.getByRole('tab', { name: 'Channel' }).click()
        await create.getByLabel('Channel name').fill('Черновик канала')
        await create.getByRole('checkbox').first().check()
        await create.getByRole('button', { name: 'Create channel' }).click()
        await a.page.getByTestId('conversation-title').filter({ hasText: 'Черновик' }).waitFor()
        await send(a.page, 'Первый пост')
        await openConversation(b.page, 'Черновик канала')
        await b.page.getByTestId('read-only-notice').waitFor()

        // Alice renames the channel and describes it; Bob's list and open header follow.
        await a.page.getByRole('button', { name: 'Members', exact: true }).click()
        const members = a.page.getByRole('dialog')
        await members.getByRole('button', { name: 'Edit' }).click()
        await members.getByLabel('Name', { exact: true }).fill('Новости отдела')
        await members.getByLabel('Description', { exact: true }).fill('Главное за неделю')
        await members.getByRole('button', { name: 'Save' }).click()
        // Saved: the form closes and the dialog shows the new description.
        await members.getByLabel('Description', { exact: true }).waitFor({ state: 'detached' })
        await members.getByText('Главное за неделю').waitFor()
        await a.page
          .getByTestId('conversation-title')
          .filter({ hasText: 'Новости отдела' })
          .waitFor()
        await b.page
          .getByTestId('conversation-title')
          .filter({ hasText: 'Новости отдела' })
          .waitFor()
        await listItem(b.page, 'Новости отдела').waitFor()
        // Bob, a member, manages nothing and deletes only his own messages.
        await b.page.getByRole('button', { name: 'Members', exact: true }).click()
        const bobMembers = b.page.getByRole('dialog')
        await bobMembers.getByText('Главное за неделю').waitFor()
        expect(await bobMembers.getByRole('button', { name: 'Edit' }).count()).toBe(0)
        expect(await bobMembers.getByRole('button', { name: /an admin/ }).count()).toBe(0)
        await b.page.keyboard.press('Escape')
        expect(await messageActions(b.page, 'Первый пост')).not.toContain('Delete')

        // Alice makes Bob an admin: he may post now; then a member again: read-only again.
        await members.getByRole('button', { name: `Make ${BOB} an admin` }).click()
        await members.getByRole('button', { name: `Make ${BOB} a member (not an admin)` }).waitFor()
        await send(b.page, 'Теперь и я пишу')
        await members.getByRole('button', { name: `Make ${BOB} a member (not an admin)` }).click()
        await members.getByRole('button', { name: `Make ${BOB} an admin` }).waitFor()
        await a.page.keyboard.press('Escape')
        await b.page.getByTestId('read-only-notice').waitFor()
        // Alice, an admin, deletes Bob's post; Bob sees it deleted.
        await messageAction(a.page, 'Теперь и я пишу', 'Delete')
        await a.page.getByRole('alertdialog').getByRole('button', { name: 'Delete' }).click()
        await b.page.getByTestId('message-deleted').waitFor()

        // Bob away from the channel; two new posts; he opens it at a "New messages" line above
        // the first of them, and it is gone the next time he opens it (everything read).
        await b.page.goto(`${stack.baseUrl}/chats`)
        await b.page.getByTestId('conversation-list').waitFor()
        await send(a.page, 'Первое новое')
        await send(a.page, 'Второе новое')
        const item = listItem(b.page, 'Новости отдела')
        await expect
          .poll(() => item.getByTestId('unread-badge').textContent(), { timeout: 10_000 })
          .toBe('2')
        await openConversation(b.page, 'Новости отдела')
        const line = b.page.getByTestId('unread-line')
        await line.waitFor()
        expect(await line.textContent()).toBe('New messages')
        expect(await line.evaluate((element) => element.nextElementSibling?.textContent)).toContain(
          'Первое новое',
        )
        const lineTop = (await line.boundingBox())!.y
        expect((await messageWith(b.page, 'Первый пост').boundingBox())!.y).toBeLessThan(lineTop)
        expect((await messageWith(b.page, 'Второе новое').boundingBox())!.y).toBeGreaterThan(
          lineTop,
        )
        await expect
          .poll(() => item.getByTestId('unread-badge').count(), { timeout: 10_000 })
          .toBe(0)
        // The read marker is stored before the page reloads.
        const { db } = stack.database
        await expect
          .poll(
            async () => {
              const row = await db
                .selectFrom('conversationMember')
                .innerJoin('conversation', 'conversation.id', 'conversationMember.conversationId')
                .select(['conversationMember.lastReadSeq', 'conversation.lastSeq'])
                .where('conversation.title', '=', 'Новости отдела')
                .where('conversationMember.userId', '=', bobId)
                .executeTakeFirstOrThrow()
              return Number(row.lastReadSeq) === Number(row.lastSeq)
            },
            { timeout: 10_000 },
          )
          .toBe(true)
        await b.page.goto(`${stack.baseUrl}/chats`)
        await openConversation(b.page, 'Новости отдела')
        await messageWith(b.page, 'Второе новое').waitFor()
        expect(await line.count()).toBe(0)

        // A meeting's chat: its moderator (Alice) may delete Bob's message, Bob not hers.
        const organization = await db
          .selectFrom('member')
          .select('organizationId')
          .where('userId', '=', aliceId)
          .executeTakeFirstOrThrow()
        const meeting = await createMeeting(db, {
          organizationId: organization.organizationId,
          organizerId: aliceId,
          status: 'ended',
        })
        const conversationId = await joinMeetingConversation({
          db,
          meetingId: meeting.id,
          userId: aliceId,
          role: 'admin',
        })
        await joinMeetingConversation({ db, meetingId: meeting.id, userId: bobId })
        for (const [userId, body] of [
          [aliceId, 'Итоги встречи'],
          [bobId, 'Мой вопрос'],
        ] as const) {
          await postConversationMessage({
            db,
            userId,
            conversationId,
            body,
            idempotencyKey: randomUUID(),
          })
        }
        for (const page of [a.page, b.page]) {
          await page.goto(`${stack.baseUrl}/chats`)
          await openConversation(page, meeting.title)
        }
        expect(await messageActions(a.page, 'Мой вопрос')).toContain('Delete')
        expect(await messageActions(b.page, 'Итоги встречи')).not.toContain('Delete')
        expect(await messageActions(b.page, 'Мой вопрос')).toContain('Delete')
        expect(a.problems).toEqual([])
        expect(b.problems).toEqual([])
      },
    )
  })

  it('at phone width the list and the conversation are separate screens, and the direct chat works', async () => {
    const a = await open(alice, PHONE, 'ru-RU')
    const b = await open(bob, PHONE, 'ru-RU')
    await screenshotOnFailure(
      'messenger-phone',
      () => [a.page, b.page],
      async () => {
        for (const { page } of [a, b]) {
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          )
          expect(overflow).toBeLessThanOrEqual(0)
        }
        // Alice: list → conversation (the list is gone) → message.
        await listItem(a.page, BOB).click()
        await a.page.getByTestId('conversation-title').filter({ hasText: BOB }).waitFor()
        expect(await a.page.getByTestId('conversation-list').isVisible()).toBe(false)
        const composer = a.page.getByRole('textbox', { name: 'Сообщение' })
        await composer.fill('С телефона 📱')
        await composer.press('Enter')
        await expect.poll(() => a.page.getByTestId('pending-message').count()).toBe(0)
        const box = await composer.boundingBox()
        expect(box && box.y + box.height).toBeLessThanOrEqual(PHONE.height)

        // Bob: the badge, then the conversation on its own screen, a reaction from the menu.
        const item = listItem(b.page, ALICE)
        await item.getByTestId('unread-badge').waitFor()
        await item.click()
        await b.page.getByTestId('conversation-title').filter({ hasText: ALICE }).waitFor()
        expect(await b.page.getByTestId('conversation-list').isVisible()).toBe(false)
        const message = messageWith(b.page, 'С телефона')
        await message.getByRole('button', { name: 'Действия с сообщением' }).click()
        await b.page.getByRole('menuitem', { name: 'Реакция ❤️' }).click()
        await expect
          .poll(() => messageWith(a.page, 'С телефона').getByTestId('reaction').count())
          .toBe(1)

        // An image from the phone, previewed on the other phone within the screen.
        await a.page.getByTestId('file-input').setInputFiles({
          name: 'screen.png',
          mimeType: 'image/png',
          buffer: await pngOf(a.page),
        })
        await a.page.locator('[data-testid="upload"][data-status="done"]').waitFor()
        await composer.press('Enter')
        const thumbnail = b.page.getByTestId('image-attachment').last()
        await thumbnail.click()
        const preview = b.page.getByTestId('image-preview')
        await expect
          .poll(() => preview.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
          .toBe(120)
        const previewBox = await preview.boundingBox()
        expect(previewBox && previewBox.x + previewBox.width).toBeLessThanOrEqual(PHONE.width)
        await b.page.keyboard.press('Escape')

        // Back to the list.
        await b.page.getByRole('link', { name: 'К списку чатов' }).click()
        await b.page.getByTestId('conversation-list').waitFor()
        for (const { page } of [a, b]) {
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          )
          expect(overflow).toBeLessThanOrEqual(0)
        }
        expect(a.problems).toEqual([])
        expect(b.problems).toEqual([])
      },
    )
  })
})
