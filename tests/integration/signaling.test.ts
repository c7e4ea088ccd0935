// Meeting media signaling end to end: real web (socket.io gateway) + real media-node (mediasoup) +
// Redis + PostgreSQL, with Node WebRTC peers (msc-node) that send and receive real RTP. Checks what
// participants notice (they hear each other, see pauses, get told when someone leaves or the meeting
// ends) and what must never happen (outsiders join, ids of another meeting work, bad input crashes).
import { describe, expect, it } from 'vitest'
import { mediaEventsChannel, type MediaEvent } from '#core/protocol/media-rpc.ts'
import type { ClientEvent } from '#core/protocol/signaling.ts'
import { createMeeting } from '#tests/fixtures/factories.ts'
import { useMeetingStack } from '#tests/fixtures/meeting-stack.ts'
import { waitUntil } from '#tests/fixtures/process.ts'
import { createMediaPeer } from '#tests/fixtures/signaling.ts'

const setup = useMeetingStack()
const { cleanups, newMeeting, newGuest, connect, joinWithMedia, showOutputOnFailure } = setup

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!

const attendanceOf = (meetingId: string) =>
  setup.stack.database.db
    .selectFrom('meetingAttendance')
    .selectAll()
    .where('meetingId', '=', meetingId)
    .orderBy('joinedAt')
    .execute()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('two participants in a meeting', () => {
  it('hear each other: join, produce, get told about the producer, consume, receive RTP', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer)
    const guest = await connect(await newGuest(meeting, 'Gleb Guest'))

    const hostSide = await joinWithMedia(host, meeting)
    expect(hostSide.joined.peerId).toMatch(/^[0-9a-f-]{36}$/)
    expect(hostSide.joined.peers).toEqual([])
    const hostMic = await hostSide.peer.produceAudio()
    cleanups.push(() => hostMic.stop())

    // The guest joins a room where the host already talks: time from media:join to first RTP.
    const startedAt = performance.now()
    const guestSide = await joinWithMedia(guest, meeting)
    const [hostInfo] = guestSide.joined.peers
    expect(hostInfo).toMatchObject({
      peerId: hostSide.joined.peerId,
      userId: setup.organizer.userId,
      displayName: 'Olga Organizer',
      role: 'organizer',
      producers: [{ id: hostMic.producer.id, kind: 'audio', source: 'microphone', paused: false }],
    })
    const fromHost = await guestSide.peer.consume(hostMic.producer.id)
    expect(fromHost.consumer.kind).toBe('audio')
    const firstRtpAt = await fromHost.firstPacketAt
    console.info(`media:join → first RTP received: ${(firstRtpAt - startedAt).toFixed(0)} ms`)
    await waitUntil(() => fromHost.packets() >= 25, { description: '25 packets from the host' })

    // The host was told about the guest, then about the guest's microphone.
    expect(
      await host.waitFor('media:peerJoined', (e) => e.peer.peerId === guestSide.joined.peerId),
    ).toEqual({
      peer: {
        peerId: guestSide.joined.peerId,
        userId: expect.any(String),
        displayName: 'Gleb Guest',
        role: 'guest',
        producers: [],
      },
    })
    const guestMic = await guestSide.peer.produceAudio()
    cleanups.push(() => guestMic.stop())
    expect(await host.waitFor('media:newProducer')).toEqual({
      peerId: guestSide.joined.peerId,
      producerId: guestMic.producer.id,
      kind: 'audio',
      source: 'microphone',
      paused: false,
    })
    const producedAt = performance.now()
    const fromGuest = await hostSide.peer.consume(guestMic.producer.id)
    console.info(
      `media:newProducer → consume → first RTP: ${((await fromGuest.firstPacketAt) - producedAt).toFixed(0)} ms`,
    )
    // Nobody is told about their own things.
    expect(guest.count('media:newProducer')).toBe(0)
    expect(guest.count('media:peerJoined')).toBe(0)

    // Round trips through web and the node: pause/resume the consumer 10 times, media still flows.
    const roundTrips: number[] = []
    for (let i = 0; i < 10; i += 1) {
      for (const event of ['media:pauseConsumer', 'media:resumeConsumer'] as const) {
        const at = performance.now()
        await guest.call(event, { consumerId: fromHost.consumer.id })
        roundTrips.push(performance.now() - at)
      }
    }
    console.info(
      `media:join ack ${guestSide.joinMs.toFixed(0)} ms; consumer pause/resume ack median ` +
        `${median(roundTrips).toFixed(1)} ms, max ${Math.max(...roundTrips).toFixed(1)} ms`,
    )
    const afterRoundTrips = fromHost.packets()
    await waitUntil(() => fromHost.packets() > afterRoundTrips + 5, {
      description: 'RTP after the last resume',
    })
  })

  it('see pauses and resumes of a producer, and its close exactly once', async () => {
    showOutputOnFailure()
    const { host, guest, hostSide, guestSide } = await setup.hostAndGuestWithMedia()
    const mic = await hostSide.peer.produceAudio()
    cleanups.push(() => mic.stop())
    const stream = await guestSide.peer.consume(
      (await guest.waitFor('media:newProducer')).producerId,
    )
    await waitUntil(() => stream.packets() > 0, { description: 'RTP before the pause' })
    const ids = { peerId: hostSide.joined.peerId, producerId: mic.producer.id }

    expect(await host.call('media:pauseProducer', { producerId: mic.producer.id })).toEqual({})
    expect(await guest.waitFor('media:producerPaused')).toEqual(ids)
    await guest.waitFor('media:consumerPaused', (e) => e.consumerId === stream.consumer.id)
    await sleep(200) // packets in flight when the pause happened
    const duringPause = stream.packets()
    await sleep(300)
    expect(stream.packets()).toBe(duringPause)

    expect(await host.call('media:resumeProducer', { producerId: mic.producer.id })).toEqual({})
    expect(await guest.waitFor('media:producerResumed')).toEqual(ids)
    await guest.waitFor('media:consumerResumed', (e) => e.consumerId === stream.consumer.id)
    await waitUntil(() => stream.packets() > duringPause + 5, { description: 'RTP after resume' })

    expect(await host.call('media:closeProducer', { producerId: mic.producer.id })).toEqual({})
    expect(await guest.waitFor('media:producerClosed')).toEqual(ids)
    await guest.waitFor('media:consumerClosed', (e) => e.consumerId === stream.consumer.id)
    await sleep(300) // the node's own producer-closed event must not be delivered as a second one
    expect(guest.count('media:producerClosed')).toBe(1)
    expect(host.count('media:producerClosed')).toBe(0)
    // The closed producer is gone: closing again is NOT_FOUND.
    expect(
      await host.request('media:closeProducer', { producerId: mic.producer.id }),
    ).toMatchObject({ ok: false, code: 'NOT_FOUND' })
  })

  it('are told when someone leaves or drops, and attendance records every session', async () => {
    showOutputOnFailure()
    const { meeting, host, guest, hostSide, guestSide } = await setup.hostAndGuestWithMedia()
    const guestMic = await guestSide.peer.produceAudio()
    cleanups.push(() => guestMic.stop())

    let rows = await attendanceOf(meeting.id)
    expect(rows.map((r) => [r.peerId, r.userId, r.role, r.leftAt])).toEqual([
      [hostSide.joined.peerId, setup.organizer.userId, 'organizer', null],
      [guestSide.joined.peerId, expect.any(String), 'guest', null],
    ])
    const guestUserId = rows[1]!.userId

    // An explicit leave: the others hear about the peer and its producer; the session is closed.
    expect(await guest.call('media:leave', {})).toEqual({})
    expect(await host.waitFor('media:peerLeft')).toEqual({ peerId: guestSide.joined.peerId })
    expect(await host.waitFor('media:producerClosed')).toEqual({
      peerId: guestSide.joined.peerId,
      producerId: guestMic.producer.id,
    })
    rows = await attendanceOf(meeting.id)
    expect(rows[1]!.leftAt).toBeInstanceOf(Date)
    // After leaving, media events are refused again and a second leave is harmless.
    expect(await guest.request('media:createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(await guest.call('media:leave', {})).toEqual({})

    // Rejoin (a second session), then drop the connection without a word.
    const rejoined = await guest.call('media:join', { inviteCode: meeting.inviteCode })
    expect(rejoined.peerId).not.toBe(guestSide.joined.peerId)
    expect(rejoined.peers.map((p) => p.peerId)).toEqual([hostSide.joined.peerId])
    guest.close()
    expect(await host.waitFor('media:peerLeft', (e) => e.peerId === rejoined.peerId)).toBeTruthy()
    await waitUntil(
      async () =>
        (await attendanceOf(meeting.id)).every(
          (r) => r.peerId === hostSide.joined.peerId || r.leftAt,
        ),
      { description: 'the dropped session closed in attendance' },
    )
    rows = await attendanceOf(meeting.id)
    expect(rows.map((r) => [r.userId, r.role])).toEqual([
      [setup.organizer.userId, 'organizer'],
      [guestUserId, 'guest'],
      [guestUserId, 'guest'],
    ])
    const participants = await setup.stack.database.db
      .selectFrom('meetingParticipant')
      .select(['userId', 'joinedAt', 'leftAt'])
      .where('meetingId', '=', meeting.id)
      .execute()
    const guestRow = participants.find((p) => p.userId === guestUserId)!
    expect(guestRow.joinedAt).toBeInstanceOf(Date)
    expect(guestRow.leftAt).toBeInstanceOf(Date)
    const hostRow = participants.find((p) => p.userId === setup.organizer.userId)!
    expect(hostRow.leftAt).toBeNull()
    const meetingRow = await setup.stack.database.db
      .selectFrom('meeting')
      .select(['status', 'startedAt'])
      .where('id', '=', meeting.id)
      .executeTakeFirstOrThrow()
    expect(meetingRow).toEqual({ status: 'live', startedAt: expect.any(Date) })
  })
})

describe('who may join', () => {
  it('refuses the lobby, denied and removed people (FORBIDDEN) and outsiders (NOT_FOUND)', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting({ lobbyEnabled: true })
    const waiting = await connect(await newGuest(meeting))
    expect(await waiting.request('media:join', { inviteCode: meeting.inviteCode })).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: expect.stringMatching(/lobby/i),
    })

    for (const status of ['denied', 'removed'] as const) {
      const name = `Guest ${status}`
      const client = await connect(await newGuest(meeting, name))
      await setup.stack.database.db
        .updateTable('meetingParticipant')
        .set({ status })
        .where('meetingId', '=', meeting.id)
        .where('displayName', '=', name)
        .execute()
      expect(await client.request('media:join', { inviteCode: meeting.inviteCode })).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: 'You are not admitted to this meeting',
      })
    }

    // A guest of another meeting, an unknown code and a cancelled meeting look the same.
    const other = await newMeeting()
    const outsider = await connect(await newGuest(other))
    const cancelled = await createMeeting(setup.stack.database.db, {
      organizationId: setup.organizer.organizationId,
      organizerId: setup.organizer.userId,
      status: 'cancelled',
    })
    const host = await connect(setup.organizer)
    const notFound = { ok: false, code: 'NOT_FOUND', message: 'Meeting not found' }
    expect(await outsider.request('media:join', { inviteCode: meeting.inviteCode })).toEqual(
      notFound,
    )
    expect(await outsider.request('media:join', { inviteCode: 'A'.repeat(24) })).toEqual(notFound)
    expect(await host.request('media:join', { inviteCode: cancelled.inviteCode })).toEqual(notFound)
    expect(await attendanceOf(meeting.id)).toEqual([])
  })

  it('refuses every media event before media:join with FORBIDDEN', async () => {
    const meeting = await newMeeting()
    const client = await connect(await newGuest(meeting))
    const id = 'a2b1c3d4-0000-4000-8000-000000000000'
    // The messenger's events (core/protocol/messenger.ts) have nothing to do with a media session.
    const validPayloads: Record<
      Exclude<ClientEvent, 'media:join' | 'media:leave' | `messenger:${string}`>,
      unknown
    > = {
      'media:createTransport': { direction: 'send' },
      'media:connectTransport': {
        transportId: id,
        dtlsParameters: { fingerprints: [{ algorithm: 'sha-256', value: 'AB:CD' }] },
      },
      'media:restartIce': { transportId: id },
      'media:produce': {
        transportId: id,
        kind: 'audio',
        rtpParameters: { codecs: [{ mimeType: 'audio/opus' }] },
        source: 'microphone',
      },
      'media:consume': { producerId: id, rtpCapabilities: { codecs: [] } },
      'media:resumeConsumer': { consumerId: id },
      'media:pauseConsumer': { consumerId: id },
      'media:setPreferredLayers': { consumerId: id, spatialLayer: 1 },
      'media:pauseProducer': { producerId: id },
      'media:resumeProducer': { producerId: id },
      'media:closeProducer': { producerId: id },
      'meeting:end': {},
      'meeting:state': {},
      'meeting:updateSettings': { isLocked: true },
      'meeting:setRole': { userId: id, role: 'cohost' },
      'moderation:mute': { userId: id },
      'moderation:muteAll': {},
      'moderation:stopCamera': { userId: id },
      'moderation:stopScreen': { userId: id },
      'moderation:remove': { userId: id },
      'lobby:admit': { userId: id },
      'lobby:deny': { userId: id },
      'lobby:admitAll': {},
      'hand:raise': {},
      'hand:lower': {},
      'hand:lowerAll': {},
      'reaction:send': { emoji: '👍' },
      'media:produceData': {
        transportId: id,
        sctpStreamParameters: { streamId: 1, ordered: true },
        label: 'chat',
      },
      'media:consumeData': {},
      'chat:send': { body: 'hello', idempotencyKey: id },
      'chat:history': {},
    }
    for (const [event, payload] of Object.entries(validPayloads)) {
      expect(await client.request(event as ClientEvent, payload), event).toEqual({
        ok: false,
        code: 'FORBIDDEN',
        message: 'Join the meeting first (media:join)',
      })
    }
    // Leaving without having joined is a harmless no-op.
    expect(await client.call('media:leave', {})).toEqual({})
  })
})

describe('isolation between meetings', () => {
  it("ids of meeting A used from meeting B are NOT_FOUND, and A's media is unaffected", async () => {
    showOutputOnFailure()
    const meetingA = await newMeeting()
    const meetingB = await newMeeting()
    const hostA = await connect(setup.organizer)
    const guestA = await connect(await newGuest(meetingA))
    const intruder = await connect(await newGuest(meetingB))
    const a = await joinWithMedia(hostA, meetingA)
    const g = await joinWithMedia(guestA, meetingA)
    const b = await joinWithMedia(intruder, meetingB)
    await b.peer.recvTransport()
    const mic = await a.peer.produceAudio()
    cleanups.push(() => mic.stop())
    const stream = await g.peer.consume(mic.producer.id)
    await waitUntil(() => stream.packets() > 0, { description: 'RTP in meeting A' })
    const sendTransportA = await a.peer.sendTransport()
    const recvTransportA = await g.peer.recvTransport()

    const attempts: Array<[ClientEvent, unknown]> = [
      [
        'media:consume',
        { producerId: mic.producer.id, rtpCapabilities: b.peer.device.rtpCapabilities },
      ],
      ['media:pauseProducer', { producerId: mic.producer.id }],
      ['media:closeProducer', { producerId: mic.producer.id }],
      ['media:pauseConsumer', { consumerId: stream.consumer.id }],
      ['media:setPreferredLayers', { consumerId: stream.consumer.id, spatialLayer: 0 }],
      ['media:restartIce', { transportId: recvTransportA.id }],
      [
        'media:connectTransport',
        {
          transportId: sendTransportA.id,
          dtlsParameters: { role: 'client', fingerprints: [{ algorithm: 'sha-256', value: 'AA' }] },
        },
      ],
      [
        'media:produce',
        {
          transportId: sendTransportA.id,
          kind: 'audio',
          rtpParameters: mic.producer.rtpParameters,
          source: 'microphone',
        },
      ],
    ]
    for (const [event, payload] of attempts) {
      expect(await intruder.request(event, payload), event).toMatchObject({
        ok: false,
        code: 'NOT_FOUND',
      })
    }
    // Meeting A: still flowing, nothing paused or closed, nobody told anything.
    const before = stream.packets()
    await waitUntil(() => stream.packets() > before + 10, { description: 'RTP still flowing in A' })
    for (const event of ['media:producerPaused', 'media:producerClosed'] as const) {
      expect(guestA.count(event)).toBe(0)
    }
    expect(guestA.count('media:consumerPaused')).toBe(0)
    expect(hostA.count('media:peerJoined')).toBe(1)
    expect(intruder.received).toEqual([])
  })
})

describe('malformed input', () => {
  it('answers BAD_REQUEST with the reason for every event, and keeps serving', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const client = await connect(await newGuest(meeting))
    const badPayloads: Array<[ClientEvent, unknown, RegExp]> = [
      ['media:join', { inviteCode: 'short' }, /inviteCode/],
      ['media:join', 'not an object', /Invalid media:join payload/],
      ['media:createTransport', { direction: 'sideways' }, /direction/],
      ['media:connectTransport', { transportId: 'x', dtlsParameters: {} }, /fingerprints/],
      ['media:restartIce', { transportId: '../../etc' }, /transportId/],
      ['media:produce', { transportId: 'x', kind: 'smell', rtpParameters: {} }, /kind/],
      ['media:consume', { producerId: 42 }, /producerId/],
      ['media:resumeConsumer', null, /Invalid media:resumeConsumer payload/],
      ['media:pauseConsumer', [], /Invalid media:pauseConsumer payload/],
      ['media:setPreferredLayers', { consumerId: 'x', spatialLayer: 9 }, /spatialLayer/],
      ['media:pauseProducer', { producerId: 'x'.repeat(65) }, /producerId/],
      ['media:resumeProducer', {}, /producerId/],
      ['media:closeProducer', 7, /Invalid media:closeProducer payload/],
      ['media:leave', 'bye', /Invalid media:leave payload/],
      ['meeting:end', undefined, /Invalid meeting:end payload/],
    ]
    for (const [event, payload, reason] of badPayloads) {
      const ack = await client.request(event, payload)
      expect(ack, event).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
      expect(!ack.ok && ack.message, event).toMatch(reason)
    }
    // No ack callback, no payload, extra arguments, unknown events: ignored without harm.
    const raw = client.socket as unknown as { emit: (...args: unknown[]) => void }
    raw.emit('media:join')
    raw.emit('media:produce', { transportId: 'x' })
    raw.emit('media:leave', {}, 'extra')
    raw.emit('nonsense', { a: 1 })

    const joined = await client.call('media:join', { inviteCode: meeting.inviteCode })
    expect(joined.peerId).toBeTruthy()
    expect(await client.call('media:createTransport', { direction: 'recv' })).toMatchObject({
      id: expect.any(String),
    })
    // Joining twice on one socket is refused; the first session stays.
    expect(await client.request('media:join', { inviteCode: meeting.inviteCode })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    })
    expect(setup.stack.web.isRunning()).toBe(true)
    expect(setup.stack.media!.process.isRunning()).toBe(true)
  })
})

describe('media-node events', () => {
  it('reach the sockets of the room or of the one peer they concern, once', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const elsewhere = await newMeeting()
    const host = await connect(setup.organizer)
    const guest = await connect(await newGuest(meeting))
    const outsider = await connect(await newGuest(elsewhere))
    const hostPeer = (await host.call('media:join', { inviteCode: meeting.inviteCode })).peerId
    const guestPeer = (await guest.call('media:join', { inviteCode: meeting.inviteCode })).peerId
    await outsider.call('media:join', { inviteCode: elsewhere.inviteCode })
    const publish = (event: MediaEvent | string) =>
      setup.stack.redis.publish(
        mediaEventsChannel(setup.stack.redisPrefix),
        typeof event === 'string' ? event : JSON.stringify(event),
      )
    const roomId = meeting.id

    // Garbage on the channel is dropped; what follows is still delivered.
    await publish('not json')
    await publish(JSON.stringify({ type: 'room-reset', roomId: '../../*' }))
    await publish(JSON.stringify({ type: 'self-destruct', roomId }))
    await publish({ type: 'active-speaker', roomId, peerId: guestPeer })
    expect(await host.waitFor('media:activeSpeaker')).toEqual({ peerId: guestPeer })
    expect(await guest.waitFor('media:activeSpeaker')).toEqual({ peerId: guestPeer })

    await publish({ type: 'consumer-paused', roomId, peerId: hostPeer, consumerId: 'c1' })
    await publish({ type: 'consumer-resumed', roomId, peerId: hostPeer, consumerId: 'c1' })
    await publish({ type: 'consumer-closed', roomId, peerId: hostPeer, consumerId: 'c1' })
    await publish({ type: 'producer-closed', roomId, peerId: guestPeer, producerId: 'p1' })
    await publish({ type: 'room-reset', roomId })
    expect(await host.waitFor('media:consumerPaused')).toEqual({ consumerId: 'c1' })
    expect(await host.waitFor('media:consumerResumed')).toEqual({ consumerId: 'c1' })
    expect(await host.waitFor('media:consumerClosed')).toEqual({ consumerId: 'c1' })
    expect(await host.waitFor('media:producerClosed')).toEqual({
      peerId: guestPeer,
      producerId: 'p1',
    })
    expect(await host.waitFor('media:reconnect')).toEqual({ reason: 'room-reset' })
    expect(await guest.waitFor('media:reconnect')).toEqual({ reason: 'room-reset' })

    // A burst of audio levels becomes the first and the latest (throttled per room).
    for (let volume = -60; volume < -40; volume += 1) {
      await publish({ type: 'audio-levels', roomId, levels: [{ peerId: guestPeer, volume }] })
    }
    await host.waitFor('media:audioLevels', (e) => e.levels[0]?.volume === -41)
    expect(host.count('media:audioLevels')).toBeLessThanOrEqual(3)

    await sleep(100)
    // Each event once; the consumer events only to the consuming peer; nothing to other meetings.
    for (const event of [
      'media:activeSpeaker',
      'media:reconnect',
      'media:producerClosed',
    ] as const) {
      expect(host.count(event), event).toBe(1)
    }
    expect(guest.count('media:consumerPaused')).toBe(0)
    expect(guest.count('media:consumerClosed')).toBe(0)
    // A producer's owner is not told about its own producer.
    expect(guest.count('media:producerClosed')).toBe(0)
    expect(outsider.received).toEqual([])
  })
})

describe('behind a load balancer (two web instances)', () => {
  it('peers on different instances hear each other, get each event once, and all see the end', async () => {
    showOutputOnFailure()
    const second = await setup.stack.startWebInstance()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer) // instance 1
    const guest = await connect(await newGuest(meeting), second.baseUrl) // instance 2

    const hostSide = await joinWithMedia(host, meeting)
    const guestJoined = await guest.call('media:join', { inviteCode: meeting.inviteCode })
    const guestPeer = await createMediaPeer(guest, guestJoined)
    cleanups.push(() => guestPeer.close())
    expect(guestJoined.peers.map((p) => p.peerId)).toEqual([hostSide.joined.peerId])
    await host.waitFor('media:peerJoined', (e) => e.peer.peerId === guestJoined.peerId)

    const mic = await guestPeer.produceAudio()
    cleanups.push(() => mic.stop())
    const announced = await host.waitFor('media:newProducer')
    expect(announced).toMatchObject({ peerId: guestJoined.peerId, producerId: mic.producer.id })
    const stream = await hostSide.peer.consume(announced.producerId)
    await waitUntil(() => stream.packets() > 10, { description: 'RTP across instances' })

    expect(await guest.call('media:pauseProducer', { producerId: mic.producer.id })).toEqual({})
    await host.waitFor('media:producerPaused')
    await host.waitFor('media:consumerPaused')
    expect(await guest.call('media:closeProducer', { producerId: mic.producer.id })).toEqual({})
    await host.waitFor('media:producerClosed')
    await host.waitFor('media:consumerClosed')
    await sleep(300)
    // Both instances receive every media event; each delivers only to its own sockets.
    for (const event of [
      'media:peerJoined',
      'media:newProducer',
      'media:producerPaused',
      'media:consumerPaused',
      'media:producerClosed',
      'media:consumerClosed',
    ] as const) {
      expect(host.count(event), event).toBe(1)
    }

    // Ended on instance 1: the guest on instance 2 is told and its session is let go.
    expect(await host.call('meeting:end', {})).toEqual({})
    await guest.waitFor('meeting:ended')
    await host.waitFor('meeting:ended')
    expect(await guest.request('media:createTransport', { direction: 'recv' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(guest.count('meeting:ended')).toBe(1)
    expect((await attendanceOf(meeting.id)).every((r) => r.leftAt instanceof Date)).toBe(true)
    expect(second.process.isRunning()).toBe(true)
  })
})

describe('web shutdown', () => {
  it('on SIGTERM lets joined peers go: they leave the room, attendance is closed, exit 0', async () => {
    showOutputOnFailure()
    const instance = await setup.stack.startWebInstance()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer)
    const hostPeer = (await host.call('media:join', { inviteCode: meeting.inviteCode })).peerId
    const guest = await connect(await newGuest(meeting), instance.baseUrl)
    const guestPeer = (await guest.call('media:join', { inviteCode: meeting.inviteCode })).peerId

    expect(await instance.process.stop()).toEqual({ code: 0, signal: null })
    expect(await host.waitFor('media:peerLeft')).toEqual({ peerId: guestPeer })
    const rows = await attendanceOf(meeting.id)
    expect(rows.find((r) => r.peerId === guestPeer)?.leftAt).toBeInstanceOf(Date)
    expect(rows.find((r) => r.peerId === hostPeer)?.leftAt).toBeNull()
  })
})

describe('ending a meeting', () => {
  it('is refused to a participant and done by the organizer for everyone', async () => {
    showOutputOnFailure()
    const { meeting, host, guest, hostSide, guestSide } = await setup.hostAndGuestWithMedia()
    const mic = await hostSide.peer.produceAudio()
    cleanups.push(() => mic.stop())
    const stream = await guestSide.peer.consume(mic.producer.id)
    await waitUntil(() => stream.packets() > 0, { description: 'RTP before the end' })

    expect(await guest.request('meeting:end', {})).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only the organizer or a co-host can end the meeting',
    })
    expect(
      (
        await setup.stack.database.db
          .selectFrom('meeting')
          .select('status')
          .where('id', '=', meeting.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('live')

    expect(await host.call('meeting:end', {})).toEqual({})
    await guest.waitFor('meeting:ended')
    await host.waitFor('meeting:ended')
    const row = await setup.stack.database.db
      .selectFrom('meeting')
      .select(['status', 'endedAt'])
      .where('id', '=', meeting.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'ended', endedAt: expect.any(Date) })
    const audit = await setup.stack.database.db
      .selectFrom('auditLog')
      .select(['actorId', 'action'])
      .where('targetId', '=', meeting.id)
      .where('action', '=', 'meeting.end')
      .execute()
    expect(audit).toEqual([{ actorId: setup.organizer.userId, action: 'meeting.end' }])
    expect((await attendanceOf(meeting.id)).every((r) => r.leftAt instanceof Date)).toBe(true)

    // Media stopped, the sessions are gone, and the ended meeting cannot be joined again.
    await sleep(300)
    const afterEnd = stream.packets()
    await sleep(300)
    expect(stream.packets()).toBe(afterEnd)
    expect(await guest.request('media:createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(await guest.request('media:join', { inviteCode: meeting.inviteCode })).toMatchObject({
      ok: false,
      code: 'CONFLICT',
    })
    expect(guest.count('media:peerLeft')).toBe(0)
  })
})
