// Two people in a real meeting: Chromium with fake camera and microphone on both sides, the web
// process with its socket gateway, a media-node running mediasoup. What each side decodes is read
// from WebRTC's own statistics (inbound-rtp), matched to the <video>/<audio> element of a tile.
import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { DESKTOP, newCheckedPage, PHONE, screenshotOnFailure } from '#tests/fixtures/browser.ts'
import {
  enterRoom,
  expectFreshVideo,
  inboundOf,
  micAudioOf,
  peerIdOf,
  recordConnections,
  tileOf,
  trackIdOf,
  videoOf,
  useMeetingRooms,
} from '#tests/fixtures/meeting-room.ts'
import { mediasoupWorkers } from '#tests/fixtures/process.ts'

const ORGANIZER = 'Ольга Организатор'
const GUEST = 'Гость Петров'

const setup = useMeetingRooms(ORGANIZER)

describe('meeting room', () => {
  it('see and hear each other, mute shows on the other side, screen share is decoded, leave removes the tile, end for everyone closes both', async () => {
    const { host, guest, firstFrameMs, close } = await setup.rooms.twoInARoom(GUEST)
    console.info(`guest: join click → first decoded frame of the organizer: ${firstFrameMs} ms`)

    await screenshotOnFailure(
      'meeting-room',
      () => [host.page, guest.page],
      async () => {
        expect(await host.page.locator(tileOf(GUEST)).count()).toBe(1)
        expect(await guest.page.locator(tileOf(ORGANIZER)).count()).toBe(1)

        // Each side hears the other: the fake microphone beeps, so audio energy arrives.
        const guestPeerId = await peerIdOf(host.page, GUEST)
        const organizerPeerId = await peerIdOf(guest.page, ORGANIZER)
        for (const [page, peerId] of [
          [host.page, guestPeerId],
          [guest.page, organizerPeerId],
        ] as const) {
          await expect
            .poll(async () => (await inboundOf(page, micAudioOf(peerId)))?.totalAudioEnergy ?? 0, {
              timeout: 20_000,
            })
            .toBeGreaterThan(0)
        }
        expect(await host.page.locator(`${tileOf(GUEST)} [data-testid="muted"]`).count()).toBe(0)

        // The tile's size picks the simulcast layer: half of a desktop grid gets the middle one
        // (640 wide), the speaker view the full one (1280).
        const widthOfGuest = async () =>
          (await inboundOf(host.page, videoOf(GUEST)))?.frameWidth ?? 0
        await expect.poll(widthOfGuest, { timeout: 15_000 }).toBe(640)
        await host.page.getByTestId('layout-toggle').click()
        await expect.poll(widthOfGuest, { timeout: 15_000 }).toBe(1280)
        await host.page.getByTestId('layout-toggle').click()

        // The guest mutes: the organizer sees the icon and the guest's audio stops arriving.
        await guest.page.getByTestId('mic-toggle').click()
        await expect
          .poll(() => host.page.locator(`${tileOf(GUEST)} [data-testid="muted"]`).count())
          .toBe(1)
        await host.page.waitForTimeout(500) // packets already in flight
        const mutedAt = (await inboundOf(host.page, micAudioOf(guestPeerId)))!.packetsReceived
        await host.page.waitForTimeout(2_000)
        const afterMute = (await inboundOf(host.page, micAudioOf(guestPeerId)))!.packetsReceived
        expect(afterMute - mutedAt).toBeLessThanOrEqual(2)
        // Unmuting brings the icon away and packets back.
        await guest.page.getByTestId('mic-toggle').click()
        await expect
          .poll(() => host.page.locator(`${tileOf(GUEST)} [data-testid="muted"]`).count())
          .toBe(0)
        await expect
          .poll(
            async () => (await inboundOf(host.page, micAudioOf(guestPeerId)))!.packetsReceived,
            { timeout: 10_000 },
          )
          .toBeGreaterThan(afterMute + 10)

        // The guest shares the screen: the organizer's stage switches to it and decodes it.
        await guest.page.getByTestId('screen-toggle').click()
        const screenVideo = `[data-testid="screen-tile"][data-peer-id="${guestPeerId}"] [data-testid="tile-video"]`
        await expect
          .poll(async () => (await inboundOf(host.page, screenVideo))?.framesDecoded ?? 0, {
            timeout: 30_000,
          })
          .toBeGreaterThan(0)
        await guest.page.getByTestId('screen-toggle').click()
        await expect.poll(() => host.page.locator('[data-testid="screen-tile"]').count()).toBe(0)

        // The guest leaves: their tile disappears on the organizer's side.
        await guest.page.getByTestId('leave').click()
        await guest.page.getByRole('alertdialog').getByRole('button', { name: 'Выйти' }).click()
        await expect
          .poll(() => host.page.locator(tileOf(GUEST)).count(), { timeout: 10_000 })
          .toBe(0)

        // They come back with the same link, and the organizer ends the meeting for everyone.
        await guest.page.getByRole('link', { name: 'Вернуться' }).click()
        await enterRoom(guest.page)
        await expect
          .poll(() => host.page.locator(tileOf(GUEST)).count(), { timeout: 10_000 })
          .toBe(1)
        await host.page.getByTestId('end-for-all').click()
        await host.page
          .getByRole('alertdialog')
          .getByRole('button', { name: 'Завершить для всех' })
          .click()
        for (const page of [host.page, guest.page]) {
          await expect
            .poll(() => page.getByTestId('room-closed').textContent(), { timeout: 10_000 })
            .toBe('Встреча завершена.')
        }
      },
    )

    expect(host.problems).toEqual([])
    expect(guest.problems).toEqual([])
    await close()
  })

  it('come back by themselves after the signaling connection drops and after the media worker dies', async () => {
    const { host, guest, close } = await setup.rooms.twoInARoom(GUEST)
    await screenshotOnFailure(
      'meeting-room-recovery',
      () => [host.page, guest.page],
      async () => {
        // Every connection state the organizer's room shows, in order.
        await host.page.evaluate(() => {
          const states: string[] = []
          ;(window as unknown as { __states: string[] }).__states = states
          const room = document.querySelector('[data-testid="room"]')!
          new MutationObserver(() =>
            states.push(room.getAttribute('data-connection-state') ?? ''),
          ).observe(room, { attributes: true, attributeFilter: ['data-connection-state'] })
        })

        // The organizer's socket drops (a proxy restart, a Wi-Fi switch): banner, then a rejoin
        // with the same camera and microphone, and both sides decode new streams.
        let hostSees = await trackIdOf(host.page, videoOf(GUEST))
        let guestSees = await trackIdOf(guest.page, videoOf(ORGANIZER))
        const droppedAt = Date.now()
        await host.page.evaluate(() => {
          for (const socket of (window as unknown as { __webSockets: WebSocket[] }).__webSockets)
            socket.close()
        })
        await expect
          .poll(() =>
            host.page.evaluate(() => (window as unknown as { __states: string[] }).__states),
          )
          .toContain('reconnecting')
        await expect
          .poll(() => host.page.getByTestId('room').getAttribute('data-connection-state'), {
            timeout: 30_000,
          })
          .toBe('connected')
        await expectFreshVideo(host.page, videoOf(GUEST), hostSees)
        await expectFreshVideo(guest.page, videoOf(ORGANIZER), guestSees)
        console.info(`socket drop → video both ways again: ${Date.now() - droppedAt} ms`)
        expect(await guest.page.locator(tileOf(ORGANIZER)).count()).toBe(1)
        expect(await host.page.locator(tileOf(GUEST)).count()).toBe(1)

        // The mediasoup worker dies: the node rebuilds the room, both clients reset their media
        // (media:reconnect) without reloading, and see and hear each other again.
        hostSees = await trackIdOf(host.page, videoOf(GUEST))
        guestSees = await trackIdOf(guest.page, videoOf(ORGANIZER))
        const [worker] = mediasoupWorkers(setup.stack.media!.process.pid)
        expect(worker).toBeDefined()
        const killedAt = Date.now()
        process.kill(worker!, 'SIGKILL')
        await expectFreshVideo(host.page, videoOf(GUEST), hostSees)
        await expectFreshVideo(guest.page, videoOf(ORGANIZER), guestSees)
        console.info(`worker killed → video both ways again: ${Date.now() - killedAt} ms`)
        const guestPeerId = await peerIdOf(host.page, GUEST)
        await expect
          .poll(
            async () =>
              (await inboundOf(host.page, micAudioOf(guestPeerId)))?.totalAudioEnergy ?? 0,
            { timeout: 20_000 },
          )
          .toBeGreaterThan(0)
        expect(await guest.page.locator(tileOf(ORGANIZER)).count()).toBe(1)
      },
    )
    expect(host.problems).toEqual([])
    expect(guest.problems).toEqual([])
    await close()
  })

  it('a Join whose room screen never arrives takes the person out of the meeting again', async () => {
    const { host, guest, close } = await setup.rooms.hostInRoomGuestAtPrejoin({
      inviteUrl: await setup.rooms.openMeeting(),
      guestName: GUEST,
    })
    await screenshotOnFailure(
      'meeting-room-lost-join',
      () => [host.page, guest.page],
      async () => {
        // The room screen's data is lost on the way (a network drop mid-navigation).
        await guest.page.route('**/room.data*', (route) => route.abort())
        await guest.page.getByTestId('join-button').click()
        const connections = () =>
          guest.page.evaluate(() =>
            (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.map(
              (connection) => connection.connectionState,
            ),
          )
        // The click joined at once, ahead of the room screen…
        await expect.poll(connections).toContain('connected')
        // …and with no room screen to take over, it leaves: nothing sends, nobody sees the guest.
        const failedAt = Date.now()
        await expect
          .poll(async () => (await connections()).every((state) => state === 'closed'), {
            timeout: 8_000,
          })
          .toBe(true)
        await expect.poll(() => host.page.locator(tileOf(GUEST)).count()).toBe(0)
        console.info(`lost room screen → guest out of the meeting: ${Date.now() - failedAt} ms`)
        // What they see instead is the error page, in their language.
        expect(await guest.page.getByTestId('room').count()).toBe(0)
        expect(await guest.page.getByTestId('error-title').textContent()).toBe(
          'Что-то пошло не так',
        )
      },
    )
    expect(host.problems).toEqual([])
    await close()
  })

  it("when a participant's web server dies, the others stop seeing a frozen tile and the attendance ends", async () => {
    // Two web instances, as in a scaled deployment: the organizer on the first, the guest on a
    // second one that then crashes. Nobody is left to tell the media-node the guest left; the
    // guest's browser closing its connections is what the node goes by.
    const inviteUrl = await setup.rooms.openMeeting()
    const second = await setup.stack.startWebInstance()
    const { host, guest, close } = await setup.rooms.hostInRoomGuestAtPrejoin({
      inviteUrl,
      guestName: GUEST,
      guestInviteUrl: inviteUrl.replace(setup.stack.baseUrl, second.baseUrl),
    })
    await screenshotOnFailure(
      'meeting-room-web-crash',
      () => [host.page, guest.page],
      async () => {
        await enterRoom(guest.page)
        await expectFreshVideo(host.page, videoOf(GUEST), null)
        const meetingId = (
          await setup.stack.database.db
            .selectFrom('meeting')
            .select('id')
            .where('inviteCode', '=', inviteUrl.split('/').at(-1)!)
            .executeTakeFirstOrThrow()
        ).id
        const openAttendance = () =>
          setup.stack.database.db
            .selectFrom('meetingAttendance')
            .select('peerId')
            .where('meetingId', '=', meetingId)
            .where('leftAt', 'is', null)
            .execute()
            .then((rows) => rows.length)
        expect(await openAttendance()).toBe(2)

        const crashedAt = Date.now()
        await second.process.stop({ signal: 'SIGKILL' })
        await expect
          .poll(() => host.page.locator(tileOf(GUEST)).count(), { timeout: 15_000 })
          .toBe(0)
        console.info(
          `guest's web server killed → tile gone for the organizer: ${Date.now() - crashedAt} ms`,
        )
        await expect.poll(openAttendance).toBe(1)
        expect(await host.page.getByTestId('room').getAttribute('data-connection-state')).toBe(
          'connected',
        )
      },
    )
    expect(host.problems).toEqual([])
    await close()
  })

  it('with more people than a page holds, only the page on screen receives video; with incoming video off, none', async () => {
    const inviteUrl = await setup.rooms.openMeeting()
    const contexts: BrowserContext[] = []
    const newGuest = async (name: string, viewport: { width: number; height: number }) => {
      const context = await setup.browser.newContext({ locale: 'en-US', viewport })
      contexts.push(context)
      await context.addInitScript(recordConnections)
      await context.addInitScript(smallCameraNoMicrophone)
      const checked = await newCheckedPage(context)
      await checked.page.goto(inviteUrl)
      await checked.page.getByRole('textbox').fill(name)
      await checked.page.getByRole('button', { name: 'Continue' }).click()
      await enterRoom(checked.page)
      return checked
    }
    // A phone holds 6 tiles a page: ourselves and 5 others; 7 others make 2 pages.
    const observer = await newGuest('Observer', PHONE)
    const crowd = []
    for (let index = 1; index <= 7; index++) crowd.push(await newGuest(`Person ${index}`, DESKTOP))
    const { page } = observer

    await screenshotOnFailure(
      'meeting-room-pages',
      () => [page],
      async () => {
        await expect
          .poll(() => page.getByTestId('participants-toggle').getAttribute('aria-label'))
          .toBe('Participants: 8')
        await expect.poll(() => page.getByTestId('page-indicator').textContent()).toBe('1 / 2')
        // On the phone the page fits the width and the controls sit inside the screen's bottom.
        expect(
          await page.evaluate(
            () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
          ),
        ).toBeLessThanOrEqual(0)
        const controls = await page.getByRole('toolbar').boundingBox()
        expect(controls!.y + controls!.height).toBeLessThanOrEqual(PHONE.height)
        expect(controls!.width).toBeLessThanOrEqual(PHONE.width)
        await expectOnlyVisibleVideoFlows(page, [
          'Person 1',
          'Person 2',
          'Person 3',
          'Person 4',
          'Person 5',
        ])
        await page.getByRole('button', { name: 'Next page' }).click()
        await expect.poll(() => page.getByTestId('page-indicator').textContent()).toBe('2 / 2')
        await expectOnlyVisibleVideoFlows(page, ['Person 6', 'Person 7'])

        // "Receive others' video" off: tiles show avatars and no camera stream flows at all.
        const toggleIncomingVideo = async () => {
          await page.getByTestId('device-menu').click()
          await page.getByTestId('incoming-video-toggle').click()
          await page.keyboard.press('Escape')
        }
        await toggleIncomingVideo()
        await expect.poll(() => page.locator(videoOf('Person 6')).count()).toBe(0)
        await expect.poll(() => page.locator(videoOf('Person 7')).count()).toBe(0)
        await expect.poll(() => videoFlowingTracks(page), { timeout: 10_000 }).toEqual([])
        await toggleIncomingVideo()
        await expectOnlyVisibleVideoFlows(page, ['Person 6', 'Person 7'])
      },
    )
    for (const { problems } of [observer, ...crowd]) expect(problems).toEqual([])
    for (const context of contexts) await context.close()
  })
})

/** A light participant for crowd tests: 160×120 camera at 10 fps, microphone off. */
function smallCameraNoMicrophone() {
  localStorage.setItem(
    'vstrecha:devices',
    JSON.stringify({ isCameraOn: true, isMicrophoneOn: false }),
  )
  const getUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices)
  navigator.mediaDevices.getUserMedia = (constraints) =>
    getUserMedia(
      constraints?.video
        ? { ...constraints, video: { width: 160, height: 120, frameRate: 10 } }
        : constraints,
    )
}

/** Video packets per track id (mediasoup-client's bandwidth probator left out). */
async function videoPacketsByTrack(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const out: Record<string, number> = {}
    const connections = (window as unknown as { __peerConnections: RTCPeerConnection[] })
      .__peerConnections
    for (const connection of connections) {
      if (connection.connectionState === 'closed') continue
      for (const report of (await connection.getStats()).values()) {
        if (report.type !== 'inbound-rtp' || report.kind !== 'video') continue
        if (report.trackIdentifier === 'probator') continue
        out[report.trackIdentifier] = report.packetsReceived ?? 0
      }
    }
    return out
  })
}

/** Track ids of the video streams that received packets over the next two seconds. */
async function videoFlowingTracks(page: Page): Promise<string[]> {
  const before = await videoPacketsByTrack(page)
  await page.waitForTimeout(2_000)
  const after = await videoPacketsByTrack(page)
  return Object.keys(after).filter((id) => after[id]! > (before[id] ?? 0))
}

/**
 * The tiles on screen are exactly `names`, each decodes video, and no other video stream receives
 * packets (the SFU paused the consumers of people on other pages).
 */
async function expectOnlyVisibleVideoFlows(page: Page, names: string[]) {
  await expect
    .poll(() =>
      page
        .locator('[data-testid="tile"]')
        .evaluateAll((tiles) => tiles.map((tile) => tile.getAttribute('data-display-name'))),
    )
    .toEqual(names)
  for (const name of names) await expectFreshVideo(page, videoOf(name), null)
  const visible = new Set<string>()
  for (const name of names) visible.add((await trackIdOf(page, videoOf(name)))!)
  // Pauses of the previous page's consumers travel to the SFU; give them a moment.
  await page.waitForTimeout(1_000)
  const flowing = await videoFlowingTracks(page)
  // (Chrome lists a stream only after its first packet: people never shown never appear at all.)
  expect(new Set(flowing)).toEqual(visible)
}
