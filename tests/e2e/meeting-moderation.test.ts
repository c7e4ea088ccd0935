// Moderation in a real meeting: the organizer and a guest in Chromium through web + media-node.
// A moderator mute is enforced on the SFU (the organizer's inbound audio from the guest stops) and,
// with self-unmute off, the guest's own unmute is refused; a moderator turns the guest's camera
// off; raised hands queue in order for the moderator; a reaction floats over the sender's tile on
// the other page; a removed guest leaves the room and cannot come back with the link. At phone
// width the panels are full-screen sheets and every control is on screen.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PHONE, screenshotOnFailure } from '#tests/fixtures/browser.ts'
import {
  inboundOf,
  micAudioOf,
  peerIdOf,
  tileOf,
  useMeetingRooms,
} from '#tests/fixtures/meeting-room.ts'

const ORGANIZER = 'Ольга Организатор'
const GUEST = 'Гость Петров'

const setup = useMeetingRooms(ORGANIZER)

/** The organizer's menu for `name` in the participants panel, then one of its items. */
async function moderate(page: Page, name: string, item: string) {
  await page.getByRole('button', { name: `Действия: ${name}` }).click()
  await page.getByTestId(item).click()
}

/** Audio packets from `peerId` arriving on `page` over two seconds (packets in flight excepted). */
async function audioPacketsOverTwoSeconds(page: Page, peerId: string): Promise<number> {
  await page.waitForTimeout(500)
  const before = (await inboundOf(page, micAudioOf(peerId)))?.packetsReceived ?? 0
  await page.waitForTimeout(2_000)
  const after = (await inboundOf(page, micAudioOf(peerId)))?.packetsReceived ?? 0
  return after - before
}

describe('moderation', () => {
  it('mute is enforced on the SFU and sticks, hands queue in order, reactions float, remove keeps them out', async () => {
    const { host, guest, close } = await setup.rooms.twoInARoom(GUEST)
    await screenshotOnFailure(
      'meeting-moderation',
      () => [host.page, guest.page],
      async () => {
        const guestPeerId = await peerIdOf(host.page, GUEST)
        await expect
          .poll(
            async () =>
              (await inboundOf(host.page, micAudioOf(guestPeerId)))?.totalAudioEnergy ?? 0,
            {
              timeout: 20_000,
            },
          )
          .toBeGreaterThan(0)

        // Self-unmute after a moderator mute is switched off in the meeting settings.
        await host.page.getByTestId('meeting-settings').click()
        const selfUnmute = host.page.getByTestId('setting-self-unmute')
        expect(await selfUnmute.getAttribute('aria-checked')).toBe('true')
        await selfUnmute.click()
        await expect.poll(() => selfUnmute.getAttribute('aria-checked')).toBe('false')
        await host.page.keyboard.press('Escape')

        // The organizer mutes the guest from the participants panel.
        await host.page.getByTestId('participants-toggle').click()
        await moderate(host.page, GUEST, 'menu-mute')
        await expect
          .poll(() => host.page.locator(`${tileOf(GUEST)} [data-testid="muted"]`).count())
          .toBe(1)
        expect(await audioPacketsOverTwoSeconds(host.page, guestPeerId)).toBeLessThanOrEqual(2)
        // The guest's controls show it, and they are told who did it.
        const guestMic = guest.page.getByTestId('mic-toggle')
        await expect.poll(() => guestMic.getAttribute('aria-pressed')).toBe('true')
        await expect.poll(() => guestMic.getAttribute('data-locked')).toBe('true')
        await expect
          .poll(() => guest.page.getByText(`${ORGANIZER} выключил(а) ваш микрофон`).count())
          .toBeGreaterThan(0)

        // The guest tries to unmute: the server refuses, the mic stays off and nothing arrives.
        await guestMic.click()
        await expect
          .poll(() =>
            guest.page
              .getByText(
                'Модератор выключил ваш микрофон. На этой встрече нельзя включить его самому.',
              )
              .count(),
          )
          .toBeGreaterThan(0)
        await expect.poll(() => guestMic.getAttribute('aria-pressed')).toBe('true')
        expect(await audioPacketsOverTwoSeconds(host.page, guestPeerId)).toBeLessThanOrEqual(2)
        expect(await host.page.locator(`${tileOf(GUEST)} [data-testid="muted"]`).count()).toBe(1)

        // Camera off by the organizer: the guest's camera stops (their button shows it) and the
        // organizer's tile of the guest falls back to initials.
        await moderate(host.page, GUEST, 'menu-stop-camera')
        await expect
          .poll(() => guest.page.getByTestId('camera-toggle').getAttribute('aria-pressed'))
          .toBe('true')
        await expect
          .poll(() => host.page.locator(`${tileOf(GUEST)} [data-testid="tile-video"]`).count())
          .toBe(0)
        await expect
          .poll(() => guest.page.getByText(`${ORGANIZER} выключил(а) вашу камеру`).count())
          .toBeGreaterThan(0)

        // Hands: the guest raises first, then the organizer; the queue keeps that order.
        await guest.page.getByTestId('hand-toggle').click()
        await expect
          .poll(() => host.page.locator('[data-testid="hand-entry"]').count(), { timeout: 10_000 })
          .toBe(1)
        await host.page.getByTestId('hand-toggle').click()
        const queue = () =>
          host.page
            .locator('[data-testid="hand-entry"]')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-display-name')))
        await expect.poll(queue).toEqual([GUEST, ORGANIZER])
        expect(await host.page.locator(`${tileOf(GUEST)} [data-testid="tile-hand"]`).count()).toBe(
          1,
        )
        // The guest sees the same queue (without the moderator's buttons).
        await guest.page.getByTestId('participants-toggle').click()
        await expect.poll(() => guest.page.locator('[data-testid="hand-entry"]').count()).toBe(2)
        expect(await guest.page.getByTestId('lower-all-hands').count()).toBe(0)
        await guest.page.getByTestId('close-participants').click()
        // The moderator lowers the guest's hand, then all.
        await host.page
          .locator(`[data-testid="hand-entry"][data-display-name="${GUEST}"]`)
          .getByTestId('lower-hand')
          .click()
        await expect.poll(queue).toEqual([ORGANIZER])
        await expect
          .poll(() => guest.page.getByTestId('hand-toggle').getAttribute('aria-pressed'))
          .toBe('false')
        await guest.page.getByTestId('hand-toggle').click()
        await expect.poll(queue).toEqual([ORGANIZER, GUEST])
        await host.page.getByTestId('lower-all-hands').click()
        await expect.poll(() => host.page.getByTestId('hands-queue').count()).toBe(0)

        // A reaction floats over the sender's tile on the other page.
        await guest.page.getByTestId('reactions-toggle').click()
        await guest.page.locator('[data-testid="reactions-bar"] [data-emoji="🎉"]').click()
        await expect
          .poll(() =>
            host.page
              .locator(`${tileOf(GUEST)} [data-testid="floating-reaction"][data-emoji="🎉"]`)
              .count(),
          )
          .toBe(1)
        await guest.page.keyboard.press('Escape')

        // Remove (confirmed): the guest's page leaves the room and says why.
        const roomUrl = guest.page.url()
        await moderate(host.page, GUEST, 'menu-remove')
        await host.page
          .getByRole('alertdialog')
          .getByRole('button', { name: 'Удалить со встречи' })
          .click()
        await expect
          .poll(() => guest.page.getByTestId('room-closed').textContent(), { timeout: 10_000 })
          .toBe('Вас удалили с этой встречи.')
        await expect
          .poll(() => host.page.locator(tileOf(GUEST)).count(), { timeout: 10_000 })
          .toBe(0)
        // The link does not bring them back, neither through pre-join nor straight to the room.
        await guest.page.goto(roomUrl.replace(/\/room$/, ''))
        await expect
          .poll(() => guest.page.getByText('Вас удалили с этой встречи.').count())
          .toBeGreaterThan(0)
        expect(await guest.page.getByTestId('join-button').count()).toBe(0)
        await guest.page.goto(roomUrl)
        await expect
          .poll(() => guest.page.getByTestId('room-closed').textContent())
          .toBe('Вас удалили с этой встречи.')
        await guest.page.waitForTimeout(1_000)
        expect(await host.page.locator(tileOf(GUEST)).count()).toBe(0)

        // Phone width: the participants panel and the settings are full-screen, controls on screen.
        await host.page.setViewportSize(PHONE)
        await host.page
          .getByTestId('close-participants')
          .click()
          .catch(() => {})
        const toolbar = host.page.getByRole('toolbar')
        for (const button of await toolbar.getByRole('button').all()) {
          const box = await button.boundingBox()
          expect(box).not.toBeNull()
          expect(box!.x).toBeGreaterThanOrEqual(0)
          expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width)
          expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height)
        }
        await host.page.getByTestId('participants-toggle').click()
        const panel = await host.page.getByTestId('participants-panel').boundingBox()
        expect(panel).toEqual({ x: 0, y: 0, width: PHONE.width, height: PHONE.height })
        const closeButton = await host.page.getByTestId('close-participants').boundingBox()
        expect(closeButton!.y).toBeGreaterThanOrEqual(0)
        expect(closeButton!.x + closeButton!.width).toBeLessThanOrEqual(PHONE.width)
        await host.page.getByTestId('close-participants').click()
        await host.page.getByTestId('meeting-settings').click()
        const dialog = await host.page.getByTestId('meeting-settings-dialog').boundingBox()
        expect(dialog!.x).toBeGreaterThanOrEqual(0)
        expect(dialog!.x + dialog!.width).toBeLessThanOrEqual(PHONE.width)
        expect(dialog!.y + dialog!.height).toBeLessThanOrEqual(PHONE.height)
        await host.page.keyboard.press('Escape')
      },
    )

    expect(host.problems).toEqual([])
    expect(guest.problems).toEqual([])
    await close()
  })
})
