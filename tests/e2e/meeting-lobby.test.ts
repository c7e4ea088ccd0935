// Acceptance A2: someone outside joins a closed meeting by its link, without an account. The
// organizer (signed in, one browser context) creates the meeting; a guest (another context) opens
// the link, types a name and waits in the lobby; the organizer sees them in the lobby panel and
// lets them in; the guest's page enters the room by itself and both decode each other's camera and
// hear each other's microphone (WebRTC inbound-rtp). A second guest is denied and is told so.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { newCheckedPage, screenshotOnFailure } from '#tests/fixtures/browser.ts'
import {
  enterRoom,
  expectAudioFrom,
  expectFreshVideo,
  videoOf,
  useMeetingRooms,
} from '#tests/fixtures/meeting-room.ts'

const ORGANIZER = 'Ольга Организатор'
const GUEST = 'Гость Снаружи'
const DENIED_GUEST = 'Гость Незваный'

const setup = useMeetingRooms(ORGANIZER)

/** An instant meeting as the organizer creates it: closed, with its defaults untouched. */
async function closedMeeting(): Promise<string> {
  const created = await setup.rooms.organizer.post('/meetings?index', { intent: 'instant' })
  const meetingId = new URL(created.headers.get('location')!, setup.stack.baseUrl).pathname
    .split('/')
    .at(-1)!
  const meeting = await setup.stack.database.db
    .selectFrom('meeting')
    .select(['inviteCode', 'access'])
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow()
  expect(meeting.access).toBe('closed')
  return `${setup.stack.baseUrl}/m/${meeting.inviteCode}`
}

/** A guest with no account: the link, a name, pre-join, Join → the lobby's waiting screen. */
async function waitInLobby(page: Page, inviteUrl: string, name: string) {
  await page.goto(inviteUrl)
  await page.getByRole('textbox').fill(name)
  await page.getByRole('button', { name: 'Продолжить' }).click()
  await expect.poll(() => page.getByTestId('lobby-notice').count()).toBe(1)
  await page.getByTestId('join-button').click()
  await page.waitForURL('**/room')
  await expect
    .poll(() => page.getByTestId('lobby-waiting').textContent())
    .toBe('Ждём, когда организатор вас впустит…')
  // The waiting page listens on a socket for the decision (the poll is only a fallback).
  await expect
    .poll(() =>
      page.evaluate(
        () =>
          (window as unknown as { __webSockets: WebSocket[] }).__webSockets.filter(
            (socket) => socket.readyState === WebSocket.OPEN,
          ).length,
      ),
    )
    .toBeGreaterThan(0)
}

/** The organizer's lobby panel shows `name` waiting. */
async function expectWaiting(page: Page, name: string) {
  const entry = page.locator(`[data-testid="lobby-entry"][data-display-name="${name}"]`)
  await expect.poll(() => entry.count(), { timeout: 10_000 }).toBe(1)
}

describe('lobby (A2)', () => {
  it('a guest without an account waits, is admitted and talks; another guest is denied and told so', async () => {
    const inviteUrl = await closedMeeting()
    const hostContext = await setup.rooms.organizerContext()
    const guestContext = await setup.rooms.newParticipantContext()
    const deniedContext = await setup.rooms.newParticipantContext()
    const host = await newCheckedPage(hostContext)
    const guest = await newCheckedPage(guestContext)
    const denied = await newCheckedPage(deniedContext)

    await screenshotOnFailure(
      'meeting-lobby',
      () => [host.page, guest.page, denied.page],
      async () => {
        await host.page.goto(inviteUrl)
        await enterRoom(host.page)

        await waitInLobby(guest.page, inviteUrl, GUEST)

        // The organizer notices without looking at the panel: a badge on the participants button
        // and an announcement for screen readers.
        await expect
          .poll(() => host.page.getByTestId('lobby-badge').textContent(), { timeout: 10_000 })
          .toBe('1')
        await expect
          .poll(() => host.page.getByTestId('lobby-announcement').textContent())
          .toBe(`${GUEST} ждёт в зале ожидания`)
        await host.page.getByTestId('participants-toggle').click()
        await expectWaiting(host.page, GUEST)

        // Admitted: the guest's page enters the room by itself, no click and no reload.
        const admittedAt = Date.now()
        await host.page.getByRole('button', { name: `Впустить: ${GUEST}` }).click()
        await expect
          .poll(() => guest.page.getByTestId('room').getAttribute('data-connection-state'), {
            timeout: 20_000,
          })
          .toBe('connected')
        console.info(`admit click → guest's room connected: ${Date.now() - admittedAt} ms`)
        await expect.poll(() => host.page.getByTestId('lobby-section').count()).toBe(0)
        expect(await host.page.getByTestId('lobby-badge').count()).toBe(0)

        // They see and hear each other.
        await expectFreshVideo(guest.page, videoOf(ORGANIZER), null)
        await expectFreshVideo(host.page, videoOf(GUEST), null)
        await expectAudioFrom(host.page, GUEST)
        await expectAudioFrom(guest.page, ORGANIZER)
        const names = await host.page
          .locator('[data-testid="participant-row"]')
          .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-display-name')))
        expect(names).toEqual([ORGANIZER, GUEST])

        // A second guest is denied: their waiting page says so, and the link does not let them in.
        await waitInLobby(denied.page, inviteUrl, DENIED_GUEST)
        await expectWaiting(host.page, DENIED_GUEST)
        await host.page.getByRole('button', { name: `Отклонить: ${DENIED_GUEST}` }).click()
        await expect
          .poll(() => denied.page.getByTestId('room-closed').textContent(), { timeout: 10_000 })
          .toBe('Организатор не впустил вас на эту встречу.')
        await denied.page.goto(inviteUrl)
        await expect
          .poll(() => denied.page.getByRole('alert').first().textContent())
          .toBe('Организатор не впустил вас на эту встречу.')
        expect(await denied.page.getByTestId('join-button').count()).toBe(0)
        expect(await host.page.getByTestId('lobby-entry').count()).toBe(0)
      },
    )

    expect(host.problems).toEqual([])
    expect(guest.problems).toEqual([])
    expect(denied.problems).toEqual([])
    await Promise.all([hostContext.close(), guestContext.close(), deniedContext.close()])
  })
})
