// The meeting chat in real Chromium rooms: two participants write to each other over the meeting's
// SCTP DataChannels through the media-node, someone who joins later reads the whole history, markup
// in a message stays text, and after the end the meeting page shows the conversation.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newCheckedPage, screenshotOnFailure } from '#tests/fixtures/browser.ts'
import { enterRoom, type CheckedPage, useMeetingRooms } from '#tests/fixtures/meeting-room.ts'

const ORGANIZER = 'Ольга Организатор'
const GUEST = 'Гость Чатов'
const LATECOMER = 'Лев Опоздавший'
const XSS = [
  '<img src=x onerror="window.__xss = 1">',
  '<script>window.__xss = 2</script>',
  '"><svg onload="window.__xss = 3">',
].join(' ')

const setup = useMeetingRooms(ORGANIZER)

const messages = (page: Page) =>
  page.locator('[data-testid="chat-panel"] [data-testid="chat-message"]')
const bodies = (page: Page) =>
  page.locator('[data-testid="chat-panel"] [data-testid="chat-message-body"]').allTextContents()

async function openChat(page: Page) {
  await page.getByTestId('chat-toggle').click()
  await expect.poll(() => page.getByTestId('chat-panel').count()).toBe(1)
}

async function write(page: Page, text: string) {
  await page.getByTestId('chat-input').fill(text)
  await page.getByTestId('chat-input').press('Enter')
}

/** SCTP DataChannels this page's peer connections opened (WebRTC's own statistics). */
async function dataChannelsOpened(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let opened = 0
    const connections = (window as unknown as { __peerConnections: RTCPeerConnection[] })
      .__peerConnections
    for (const connection of connections) {
      if (connection.connectionState === 'closed') continue
      for (const report of (await connection.getStats()).values()) {
        if (report.type === 'peer-connection') opened += report.dataChannelsOpened ?? 0
      }
    }
    return opened
  })
}

describe('meeting chat', () => {
  it('two people chat over the DataChannel, a latecomer reads the history, markup stays text, the meeting page keeps the chat', async () => {
    const { host, guest, close } = await setup.rooms.twoInARoom(GUEST)
    let latecomer: CheckedPage | undefined
    await screenshotOnFailure(
      'meeting-chat',
      () => [host.page, guest.page, ...(latecomer ? [latecomer.page] : [])],
      async () => {
        // The organizer opens the chat: its DataChannels are up (the send and the recv side).
        await openChat(host.page)
        await expect
          .poll(() => host.page.getByTestId('chat-panel').getAttribute('data-channel'), {
            timeout: 15_000,
          })
          .toBe('datachannel')
        expect(await dataChannelsOpened(host.page)).toBeGreaterThanOrEqual(2)
        await expect.poll(() => dataChannelsOpened(guest.page), { timeout: 15_000 }).toBe(2)

        // The organizer writes; the guest, whose panel is closed, sees an unread badge.
        await write(host.page, 'Привет! Повестка: https://example.com/agenda.')
        await expect.poll(() => guest.page.getByTestId('chat-unread').textContent()).toBe('1')
        await expect
          .poll(() => host.page.locator('[data-status="sent"]').count(), { timeout: 10_000 })
          .toBe(1)

        await openChat(guest.page)
        expect(await guest.page.getByTestId('chat-unread').count()).toBe(0)
        const received = messages(guest.page).first()
        // It came over the guest's DataConsumer, not the socket or a history page.
        expect(await received.getAttribute('data-via')).toBe('datachannel')
        expect(await received.getAttribute('data-seq')).toBe('1')
        expect(await bodies(guest.page)).toEqual(['Привет! Повестка: https://example.com/agenda.'])
        const link = received.getByRole('link')
        expect(await link.textContent()).toBe('https://example.com/agenda')
        expect(await link.getAttribute('href')).toBe('https://example.com/agenda')
        expect(await link.getAttribute('target')).toBe('_blank')
        expect(await link.getAttribute('rel')).toBe('noopener noreferrer')

        // The guest answers with markup: everyone sees it as text, nothing runs or loads.
        await write(guest.page, XSS)
        await expect
          .poll(() => bodies(host.page), { timeout: 10_000 })
          .toEqual(['Привет! Повестка: https://example.com/agenda.', XSS])
        expect(await messages(host.page).nth(1).getAttribute('data-via')).toBe('datachannel')
        for (const page of [host.page, guest.page]) {
          const panel = page.getByTestId('chat-panel')
          expect(await panel.locator('img, script, svg[onload]').count()).toBe(0)
          expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined()
        }

        // Someone who comes later reads everything from the start.
        const latecomerContext = await setup.rooms.newParticipantContext()
        latecomer = await newCheckedPage(latecomerContext)
        const inviteUrl = new URL(host.page.url()).pathname.replace(/\/room$/, '')
        await latecomer.page.goto(`${setup.stack.baseUrl}${inviteUrl}`)
        await latecomer.page.getByRole('textbox').fill(LATECOMER)
        await latecomer.page.getByRole('button', { name: 'Продолжить' }).click()
        await enterRoom(latecomer.page)
        await openChat(latecomer.page)
        await expect
          .poll(() => bodies(latecomer!.page), { timeout: 10_000 })
          .toEqual(['Привет! Повестка: https://example.com/agenda.', XSS])
        expect(await messages(latecomer.page).first().getAttribute('data-via')).toBe('history')

        // The organizer ends the meeting; its page still has the whole chat, as text.
        await host.page.getByTestId('end-for-all').click()
        await host.page
          .getByRole('alertdialog')
          .getByRole('button', { name: 'Завершить для всех' })
          .click()
        await expect
          .poll(() => host.page.getByTestId('room-closed').count(), { timeout: 10_000 })
          .toBe(1)
        const { id } = await setup.stack.database.db
          .selectFrom('meeting')
          .select('id')
          .where('inviteCode', '=', inviteUrl.split('/').at(-1)!)
          .executeTakeFirstOrThrow()
        await host.page.goto(`${setup.stack.baseUrl}/meetings/${id}`)
        const transcript = host.page.getByTestId('meeting-transcript')
        await expect
          .poll(() => transcript.getByTestId('chat-message-body').allTextContents())
          .toEqual(['Привет! Повестка: https://example.com/agenda.', XSS])
        expect(await transcript.locator('img, script, svg[onload]').count()).toBe(0)
        expect(await transcript.getByText(GUEST).count()).toBe(1)
        await latecomerContext.close()
      },
    )
    expect(host.problems).toEqual([])
    expect(guest.problems).toEqual([])
    expect(latecomer?.problems).toEqual([])
    await close()
  })
})
