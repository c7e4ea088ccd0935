// Meeting control end to end (issue 4): real web + media-node + PostgreSQL + Redis, participants as
// socket.io clients with Node WebRTC peers. What people notice: only moderators can moderate, a
// mute silences someone on the SFU itself, a removed person is out on every instance, the lobby
// hears its answer at once, a locked meeting does not exist for newcomers; and every moderator
// action leaves exactly one audit row.
import { describe, expect, it } from 'vitest'
import type { MeetingRole } from '#core/db/types.ts'
import { MEETING_ROLES, canDo, type MeetingAction } from '#core/permissions.ts'
import type { ClientEvent } from '#core/protocol/signaling.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import { createHttpClient, type HttpClient } from '#tests/fixtures/http-client.ts'
import { useMeetingStack } from '#tests/fixtures/meeting-stack.ts'
import { signUpPerson } from '#tests/fixtures/messenger.ts'
import { waitUntil } from '#tests/fixtures/process.ts'
import type { SignalingClient } from '#tests/fixtures/signaling.ts'

// Many invite-link requests from one address in a minute: more than a person makes.
const setup = useMeetingStack({ media: true, env: { RATE_LIMIT_FACTOR: '10' } })
const { cleanups, newMeeting, newGuest, connect, joinWithMedia, showOutputOnFailure } = setup

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const db = () => setup.stack.database.db

const setRole = (meetingId: string, userId: string, role: MeetingRole) =>
  db()
    .updateTable('meetingParticipant')
    .set({ role })
    .where('meetingId', '=', meetingId)
    .where('userId', '=', userId)
    .execute()

/** A participant row straight in the database (someone who never needs a socket). */
async function addPerson(
  meetingId: string,
  name: string,
  status: 'lobby' | 'admitted',
  role: MeetingRole = 'participant',
) {
  const user = await createUser(db(), { name })
  await db()
    .insertInto('meetingParticipant')
    .values({ meetingId, userId: user.id, displayName: name, role, status })
    .execute()
  return user.id
}

const auditOf = (meetingId: string) =>
  db()
    .selectFrom('auditLog')
    .select(['actorId', 'action', 'metadata'])
    .where('targetId', '=', meetingId)
    .where('action', 'like', 'meeting.%')
    .where('action', 'not in', ['meeting.create', 'meeting.guest-enter'])
    .orderBy('id')
    .execute()

const participantRow = (meetingId: string, userId: string) =>
  db()
    .selectFrom('meetingParticipant')
    .selectAll()
    .where('meetingId', '=', meetingId)
    .where('userId', '=', userId)
    .executeTakeFirstOrThrow()

describe('role × action matrix over the socket API', () => {
  // Every moderator action, in an order where each leaves the next something to act on (the
  // target is removed and the meeting ended last).
  type Attempt = {
    event: ClientEvent
    action: MeetingAction
    audit: string
    payload: (ids: { target: string; lobbyA: string; lobbyB: string }) => unknown
  }
  const attempts: Attempt[] = [
    {
      event: 'meeting:updateSettings',
      action: 'meeting.updateSettings',
      audit: 'meeting.settings',
      payload: () => ({ allowSelfUnmute: false, screenSharePolicy: 'presenters' }),
    },
    {
      event: 'meeting:setRole',
      action: 'meeting.setRole',
      audit: 'meeting.role',
      payload: ({ target }) => ({ userId: target, role: 'presenter' }),
    },
    {
      event: 'lobby:admit',
      action: 'lobby.admit',
      audit: 'meeting.admit',
      payload: ({ lobbyA }) => ({ userId: lobbyA }),
    },
    {
      event: 'lobby:deny',
      action: 'lobby.deny',
      audit: 'meeting.deny',
      payload: ({ lobbyB }) => ({ userId: lobbyB }),
    },
    {
      event: 'lobby:admitAll',
      action: 'lobby.admitAll',
      audit: 'meeting.admit-all',
      payload: () => ({}),
    },
    {
      event: 'moderation:mute',
      action: 'participant.mute',
      audit: 'meeting.mute',
      payload: ({ target }) => ({ userId: target }),
    },
    {
      event: 'moderation:muteAll',
      action: 'participant.muteAll',
      audit: 'meeting.mute-all',
      payload: () => ({}),
    },
    {
      event: 'moderation:stopCamera',
      action: 'participant.stopCamera',
      audit: 'meeting.stop-camera',
      payload: ({ target }) => ({ userId: target }),
    },
    {
      event: 'moderation:stopScreen',
      action: 'participant.stopScreen',
      audit: 'meeting.stop-screen',
      payload: ({ target }) => ({ userId: target }),
    },
    {
      event: 'hand:lower',
      action: 'hand.lowerOthers',
      audit: 'meeting.lower-hand',
      payload: ({ target }) => ({ userId: target }),
    },
    {
      event: 'hand:lowerAll',
      action: 'hand.lowerAll',
      audit: 'meeting.lower-all-hands',
      payload: () => ({}),
    },
    {
      event: 'moderation:remove',
      action: 'participant.remove',
      audit: 'meeting.remove',
      payload: ({ target }) => ({ userId: target }),
    },
    { event: 'meeting:end', action: 'meeting.end', audit: 'meeting.end', payload: () => ({}) },
  ]

  for (const role of MEETING_ROLES) {
    it(`${role}: allowed actions succeed with one audit row each, the others are FORBIDDEN`, async () => {
      showOutputOnFailure()
      const meeting = await newMeeting()
      let actor: SignalingClient
      let actorId: string
      if (role === 'organizer') {
        actor = await connect(setup.organizer)
        actorId = setup.organizer.userId
      } else {
        const guest = await newGuest(meeting, `Actor ${role}`)
        await setRole(meeting.id, guest.userId, role)
        actor = await connect(guest)
        actorId = guest.userId
      }
      await actor.call('media:join', { inviteCode: meeting.inviteCode })
      const ids = {
        target: await addPerson(meeting.id, 'Target Person', 'admitted'),
        lobbyA: await addPerson(meeting.id, 'Lobby A', 'lobby', 'guest'),
        lobbyB: await addPerson(meeting.id, 'Lobby B', 'lobby', 'guest'),
      }
      await db()
        .updateTable('meetingParticipant')
        .set({ handRaisedAt: new Date() })
        .where('userId', '=', ids.target)
        .execute()
      // Lobby people for admitAll, after admit/deny took theirs.
      await addPerson(meeting.id, 'Lobby C', 'lobby', 'guest')

      const outcomes: string[] = []
      const expected: string[] = []
      for (const attempt of attempts) {
        const ack = await actor.request(attempt.event, attempt.payload(ids))
        outcomes.push(`${attempt.event}: ${ack.ok ? 'ok' : ack.code}`)
        const isAllowed = canDo(role, attempt.action)
        expected.push(`${attempt.event}: ${isAllowed ? 'ok' : 'FORBIDDEN'}`)
        if (!ack.ok) expect(ack.message, attempt.event).toMatch(/organizer|co-host/i)
      }
      expect(outcomes).toEqual(expected)

      const rows = await auditOf(meeting.id)
      const allowed = attempts.filter((attempt) => canDo(role, attempt.action))
      expect(rows.map((row) => row.action)).toEqual(allowed.map((attempt) => attempt.audit))
      expect(rows.every((row) => row.actorId === actorId)).toBe(true)
      const byAction = new Map(rows.map((row) => [row.action, row.metadata]))
      if (allowed.length) {
        expect(byAction.get('meeting.mute')).toEqual({ targetUserId: ids.target })
        expect(byAction.get('meeting.remove')).toEqual({ targetUserId: ids.target })
        expect(byAction.get('meeting.admit')).toMatchObject({ targetUserId: ids.lobbyA })
        expect(byAction.get('meeting.deny')).toEqual({ targetUserId: ids.lobbyB })
      }
      // What the refused attempts would have changed is unchanged.
      const target = await participantRow(meeting.id, ids.target)
      if (allowed.length === 0) {
        expect(target).toMatchObject({
          status: 'admitted',
          role: 'participant',
          isForceMuted: false,
        })
        expect(target.handRaisedAt).toBeInstanceOf(Date)
        expect((await participantRow(meeting.id, ids.lobbyA)).status).toBe('lobby')
        const row = await db()
          .selectFrom('meeting')
          .select(['status', 'allowSelfUnmute'])
          .where('id', '=', meeting.id)
          .executeTakeFirstOrThrow()
        expect(row).toEqual({ status: 'live', allowSelfUnmute: true })
      } else {
        expect(target).toMatchObject({ status: 'removed', isForceMuted: true, handRaisedAt: null })
        expect((await participantRow(meeting.id, ids.lobbyB)).status).toBe('denied')
      }
    })
  }

  it('names nobody outside the meeting: ids of another meeting and unknown ids are NOT_FOUND', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const other = await newMeeting()
    const outsider = await addPerson(other.id, 'Elsewhere', 'admitted')
    const waitingElsewhere = await addPerson(other.id, 'Waiting elsewhere', 'lobby', 'guest')
    const host = await connect(setup.organizer)
    await host.call('media:join', { inviteCode: meeting.inviteCode })
    for (const [event, payload] of [
      ['moderation:mute', { userId: outsider }],
      ['moderation:remove', { userId: outsider }],
      ['moderation:stopCamera', { userId: outsider }],
      ['moderation:stopScreen', { userId: outsider }],
      ['meeting:setRole', { userId: outsider, role: 'cohost' }],
      ['hand:lower', { userId: outsider }],
      ['lobby:admit', { userId: waitingElsewhere }],
      ['lobby:deny', { userId: waitingElsewhere }],
      ['moderation:mute', { userId: 'no-such-user' }],
    ] as const) {
      expect(await host.request(event, payload), event).toEqual({
        ok: false,
        code: 'NOT_FOUND',
        message: 'Participant not found',
      })
    }
    // Nobody moderates the organizer; a co-host does not moderate a co-host.
    const cohost = await newGuest(meeting, 'Cora Cohost')
    const otherCohost = await addPerson(meeting.id, 'Other Cohost', 'admitted', 'cohost')
    await setRole(meeting.id, cohost.userId, 'cohost')
    const cohostClient = await connect(cohost)
    await cohostClient.call('media:join', { inviteCode: meeting.inviteCode })
    expect(
      await cohostClient.request('moderation:mute', { userId: setup.organizer.userId }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await cohostClient.request('moderation:remove', { userId: otherCohost })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(
      await host.request('meeting:setRole', { userId: setup.organizer.userId, role: 'guest' }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect((await participantRow(other.id, outsider)).isForceMuted).toBe(false)
    expect((await participantRow(other.id, waitingElsewhere)).status).toBe('lobby')
    expect(await auditOf(meeting.id)).toEqual([])
    expect(await auditOf(other.id)).toEqual([])
  })
})

describe('role × action matrix over HTTP', () => {
  it('only the organizer cancels a meeting: other roles get FORBIDDEN (guests NOT_FOUND), no audit row', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const attempts: Array<[MeetingRole, HttpClient]> = []
    for (const role of ['cohost', 'presenter', 'participant'] as const) {
      const colleague = await signUpPerson(
        setup.stack,
        `Colleague ${role}`,
        setup.organizer.organizationId,
      )
      // Opening the link makes a colleague an admitted participant; then the organizer's choice.
      expect((await colleague.http.get(`/m/${meeting.inviteCode}`)).status).toBe(200)
      await setRole(meeting.id, colleague.userId, role)
      attempts.push([role, colleague.http])
    }
    attempts.push(['guest', (await newGuest(meeting, 'Guest Canceller')).http])
    const statuses = []
    for (const [role, http] of attempts) {
      const response = await http.post(`/meetings/${meeting.id}`, { intent: 'cancel' })
      statuses.push([role, response.status])
    }
    expect(statuses).toEqual([
      ['cohost', 403],
      ['presenter', 403],
      ['participant', 403],
      ['guest', 404],
    ])
    expect(await auditOf(meeting.id)).toEqual([])
    const cancelled = await setup.organizer.http.post(`/meetings/${meeting.id}`, {
      intent: 'cancel',
    })
    expect(cancelled.status).toBe(302)
    expect((await auditOf(meeting.id)).map((row) => [row.action, row.actorId])).toEqual([
      ['meeting.cancel', setup.organizer.userId],
    ])
  })
})

describe('mute', () => {
  it('pauses the microphone on the SFU; unmuting follows the self-unmute setting', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer)
    const guest = await newGuest(meeting, 'Mia Muted')
    const guestClient = await connect(guest)
    const hostSide = await joinWithMedia(host, meeting)
    const guestSide = await joinWithMedia(guestClient, meeting)
    const mic = await guestSide.peer.produceAudio()
    cleanups.push(() => mic.stop())
    const stream = await hostSide.peer.consume(mic.producer.id)
    await waitUntil(() => stream.packets() > 10, { description: 'RTP from the guest' })

    expect(await host.call('meeting:updateSettings', { allowSelfUnmute: false })).toEqual({
      settings: {
        isLocked: false,
        lobbyEnabled: false,
        screenSharePolicy: 'everyone',
        allowSelfUnmute: false,
        isChatEnabled: true,
      },
    })
    await guestClient.waitFor('meeting:settings', (e) => !e.settings.allowSelfUnmute)
    expect(await host.call('moderation:mute', { userId: guest.userId })).toEqual({})
    expect(await guestClient.waitFor('moderation:applied')).toEqual({
      action: 'mute',
      byName: 'Olga Organizer',
    })
    expect(await host.waitFor('media:producerPaused')).toEqual({
      peerId: guestSide.joined.peerId,
      producerId: mic.producer.id,
    })
    await host.waitFor('media:consumerPaused', (e) => e.consumerId === stream.consumer.id)
    expect(
      (await host.waitFor('meeting:participant', (e) => e.participant.isForceMuted)).participant,
    ).toMatchObject({ userId: guest.userId, displayName: 'Mia Muted', isForceMuted: true })
    // The guest's peer keeps sending; nothing reaches the host: the SFU holds it.
    await sleep(200)
    const whileMuted = stream.packets()
    await sleep(400)
    expect(stream.packets()).toBe(whileMuted)

    // Self-unmute not allowed: resuming or producing a new microphone is refused.
    expect(
      await guestClient.request('media:resumeProducer', { producerId: mic.producer.id }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN', message: expect.stringMatching(/muted/) })
    await expect(guestSide.peer.produceAudio()).rejects.toThrow(/FORBIDDEN/)
    // Pausing is always fine, and another source is not a microphone.
    expect(await guestClient.call('media:pauseProducer', { producerId: mic.producer.id })).toEqual(
      {},
    )
    await sleep(200)
    expect(stream.packets()).toBe(whileMuted)
    expect((await participantRow(meeting.id, guest.userId)).isForceMuted).toBe(true)

    // Allowed again: the guest unmutes, the mark is lifted, the host hears them.
    await host.call('meeting:updateSettings', { allowSelfUnmute: true })
    expect(await guestClient.call('media:resumeProducer', { producerId: mic.producer.id })).toEqual(
      {},
    )
    await host.waitFor('media:producerResumed')
    await waitUntil(() => stream.packets() > whileMuted + 10, { description: 'RTP after unmute' })
    expect((await participantRow(meeting.id, guest.userId)).isForceMuted).toBe(false)
    expect(
      (await host.waitFor('meeting:participant', (e) => !e.participant.isForceMuted)).participant,
    ).toMatchObject({ userId: guest.userId, isForceMuted: false })

    // Mute all: everyone but the moderator, on the SFU too.
    const pausesBefore = host.count('media:producerPaused')
    expect(await host.call('moderation:muteAll', {})).toEqual({})
    await waitUntil(() => host.count('media:producerPaused') === pausesBefore + 1, {
      description: "the guest's microphone paused again",
    })
    expect((await participantRow(meeting.id, setup.organizer.userId)).isForceMuted).toBe(false)
    expect((await participantRow(meeting.id, guest.userId)).isForceMuted).toBe(true)
    expect(guestClient.count('media:producerPaused')).toBe(0)
  })
})

describe('screen sharing', () => {
  it('follows the policy, and a moderator can stop a share', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer)
    const guest = await newGuest(meeting, 'Sasha Sharer')
    const guestClient = await connect(guest)
    await joinWithMedia(host, meeting)
    const guestSide = await joinWithMedia(guestClient, meeting)

    await host.call('meeting:updateSettings', { screenSharePolicy: 'presenters' })
    await expect(guestSide.peer.produceAudio('screen-audio')).rejects.toThrow(/FORBIDDEN/)
    // Made a presenter: allowed under the same policy.
    await host.call('meeting:setRole', { userId: guest.userId, role: 'presenter' })
    expect(
      (await guestClient.waitFor('meeting:participant', (e) => e.participant.role === 'presenter'))
        .participant.userId,
    ).toBe(guest.userId)
    const share = await guestSide.peer.produceAudio('screen-audio')
    cleanups.push(() => share.stop())
    await host.waitFor('media:newProducer', (e) => e.source === 'screen-audio')

    expect(await host.call('moderation:stopScreen', { userId: guest.userId })).toEqual({})
    expect(await host.waitFor('media:producerClosed')).toEqual({
      peerId: guestSide.joined.peerId,
      producerId: share.producer.id,
    })
    expect(await guestClient.waitFor('moderation:applied')).toEqual({
      action: 'stopScreen',
      byName: 'Olga Organizer',
    })

    // Back to participant, policy "everyone": allowed again.
    await host.call('meeting:setRole', { userId: guest.userId, role: 'participant' })
    await host.call('meeting:updateSettings', { screenSharePolicy: 'everyone' })
    const again = await guestSide.peer.produceAudio('screen-audio')
    cleanups.push(() => again.stop())
    expect(again.producer.id).toBeTruthy()
  })
})

describe('a locked meeting', () => {
  const strip = (html: string) => {
    const nonce = /nonce="([^"]+)"/.exec(html)?.[1]
    return nonce ? html.replaceAll(nonce, '') : html
  }

  it('looks exactly like an unknown code to newcomers; people already in still get in', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const inside = await newGuest(meeting, 'Ivan Inside')
    const otherMeeting = await newMeeting()
    const guestElsewhere = await newGuest(otherMeeting, 'Gena Elsewhere')
    const host = await connect(setup.organizer)
    await host.call('media:join', { inviteCode: meeting.inviteCode })
    await host.call('meeting:updateSettings', { isLocked: true })

    const unknown = '/m/AAAAAAAAAAAAAAAAAAAAAAAA'
    const locked = `/m/${meeting.inviteCode}`
    const anonymous = createHttpClient(setup.stack.baseUrl)
    const responses = [
      await anonymous.get(unknown),
      await anonymous.get(locked),
      await guestElsewhere.http.get(locked),
      await anonymous.post(locked, { name: 'Nina Newcomer' }),
      await anonymous.post(unknown, { name: 'Nina Newcomer' }),
    ]
    expect(responses.map((r) => r.status)).toEqual([404, 404, 404, 404, 404])
    const bodies = await Promise.all(responses.map(async (r) => strip(await r.text())))
    // The same page as for an unknown code, for a look and for a submitted name form alike.
    expect(new Set(bodies.slice(0, 3)).size).toBe(1)
    expect(bodies[3]).toBe(bodies[4])
    expect(responses[1]!.headers.get('set-cookie')).toBeNull()
    const rows = await db()
      .selectFrom('meetingParticipant')
      .select('displayName')
      .where('meetingId', '=', meeting.id)
      .execute()
    expect(rows.map((r) => r.displayName).sort()).toEqual(['Ivan Inside', 'Olga Organizer'])

    // Already in: the page and the media still open.
    expect((await inside.http.get(locked)).status).toBe(200)
    const insideClient = await connect(inside)
    expect(await insideClient.call('media:join', { inviteCode: meeting.inviteCode })).toMatchObject(
      {
        peerId: expect.any(String),
      },
    )
    // Unlocked: newcomers get in again.
    await host.call('meeting:updateSettings', { isLocked: false })
    expect((await createHttpClient(setup.stack.baseUrl).get(locked)).status).toBe(200)
  })
})

describe('remove', () => {
  it('ends the media of the removed person on another instance, tells them, and keeps them out until admitted again', async () => {
    showOutputOnFailure()
    const second = await setup.stack.startWebInstance()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer)
    const guest = await newGuest(meeting, 'Roma Removed', second.baseUrl)
    const guestClient = await connect(guest, second.baseUrl)
    const hostSide = await joinWithMedia(host, meeting)
    const guestSide = await joinWithMedia(guestClient, meeting)
    const mic = await guestSide.peer.produceAudio()
    cleanups.push(() => mic.stop())
    const stream = await hostSide.peer.consume(mic.producer.id)
    await waitUntil(() => stream.packets() > 5, { description: 'RTP before the removal' })
    await guestClient.call('hand:raise', {})

    expect(await host.call('moderation:remove', { userId: guest.userId })).toEqual({})
    expect(await guestClient.waitFor('participant:status')).toEqual({
      inviteCode: meeting.inviteCode,
      status: 'removed',
    })
    expect(await guestClient.waitFor('moderation:applied')).toEqual({
      action: 'remove',
      byName: 'Olga Organizer',
    })
    expect(await host.waitFor('media:peerLeft')).toEqual({ peerId: guestSide.joined.peerId })
    await host.waitFor('media:producerClosed', (e) => e.producerId === mic.producer.id)
    await waitUntil(
      async () =>
        (
          await db()
            .selectFrom('meetingAttendance')
            .select('leftAt')
            .where('peerId', '=', guestSide.joined.peerId)
            .executeTakeFirstOrThrow()
        ).leftAt,
      { description: "the removed person's attendance closed" },
    )
    expect(await participantRow(meeting.id, guest.userId)).toMatchObject({
      status: 'removed',
      handRaisedAt: null,
    })
    // Out: no media session, no rejoin, the control events refused.
    expect(await guestClient.request('media:createTransport', { direction: 'send' })).toMatchObject(
      { ok: false, code: 'FORBIDDEN' },
    )
    expect(await guestClient.request('media:join', { inviteCode: meeting.inviteCode })).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'You are not admitted to this meeting',
    })
    expect(guestClient.count('participant:status')).toBe(1)

    // Admitted again by a moderator: back in.
    expect(await host.call('lobby:admit', { userId: guest.userId })).toEqual({})
    await guestClient.waitFor('participant:status', (e) => e.status === 'admitted')
    expect(await guestClient.call('media:join', { inviteCode: meeting.inviteCode })).toMatchObject({
      peerId: expect.any(String),
    })
    expect(second.process.isRunning()).toBe(true)
  })
})

describe('the lobby', () => {
  it('reaches moderators live from the HTTP name form; admit and deny reach the waiting person', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting({ lobbyEnabled: true })
    const host = await connect(setup.organizer)
    await host.call('media:join', { inviteCode: meeting.inviteCode })
    const state = await host.call('meeting:state', {})
    expect(state).toMatchObject({ myRole: 'organizer', lobby: [] })

    // A participant in the room (not a moderator) does not hear the lobby.
    // (Bob's arrival in the lobby is announced too; he is let in behind the scenes.)
    const bystander = await newGuest(meeting, 'Bob Bystander')
    await db()
      .updateTable('meetingParticipant')
      .set({ status: 'admitted' })
      .where('userId', '=', bystander.userId)
      .execute()
    const bystanderClient = await connect(bystander)
    await bystanderClient.call('media:join', { inviteCode: meeting.inviteCode })
    expect((await bystanderClient.call('meeting:state', {})).lobby).toEqual([])

    const alice = await newGuest(meeting, 'Alice Waiting')
    const changed = await host.waitFor('lobby:changed', (e) =>
      e.lobby.some((entry) => entry.userId === alice.userId),
    )
    expect(changed.lobby).toEqual([
      {
        userId: alice.userId,
        displayName: 'Alice Waiting',
        isGuest: true,
        waitingSince: expect.any(String),
      },
    ])
    const bella = await newGuest(meeting, 'Bella Denied')
    await host.waitFor('lobby:changed', (e) => e.lobby.length === 2)
    // Waiting pages load again (polling, reloads): that announces nothing new.
    const announced = host.count('lobby:changed')
    await alice.http.get(`/m/${meeting.inviteCode}`)
    await alice.http.get(`/m/${meeting.inviteCode}/room`)
    await sleep(200)
    expect(host.count('lobby:changed')).toBe(announced)
    const aliceClient = await connect(alice)
    const bellaClient = await connect(bella)
    expect(
      await aliceClient.request('media:join', { inviteCode: meeting.inviteCode }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const lobby = (await host.call('meeting:state', {})).lobby
    expect(lobby.map((entry) => entry.displayName)).toEqual(['Alice Waiting', 'Bella Denied'])

    expect(await host.call('lobby:admit', { userId: alice.userId })).toEqual({})
    expect(await aliceClient.waitFor('participant:status')).toEqual({
      inviteCode: meeting.inviteCode,
      status: 'admitted',
    })
    await host.waitFor('lobby:changed', (e) => e.lobby.length === 1)
    expect(await aliceClient.call('media:join', { inviteCode: meeting.inviteCode })).toMatchObject({
      peerId: expect.any(String),
    })

    expect(await host.call('lobby:deny', { userId: bella.userId })).toEqual({})
    expect(await bellaClient.waitFor('participant:status')).toEqual({
      inviteCode: meeting.inviteCode,
      status: 'denied',
    })
    await host.waitFor('lobby:changed', (e) => e.lobby.length === 0)
    expect(await bellaClient.request('media:join', { inviteCode: meeting.inviteCode })).toEqual({
      ok: false,
      code: 'FORBIDDEN',
      message: 'You are not admitted to this meeting',
    })
    // Denying someone who is not waiting (any more) is NOT_FOUND.
    expect(await host.request('lobby:deny', { userId: bella.userId })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    })

    // A bystander promoted to co-host hears the lobby from then on; demoted, no longer.
    await host.call('meeting:setRole', { userId: bystander.userId, role: 'cohost' })
    await bystanderClient.waitFor('lobby:changed')
    const carl = await newGuest(meeting, 'Carl Later')
    await bystanderClient.waitFor('lobby:changed', (e) =>
      e.lobby.some((entry) => entry.userId === carl.userId),
    )
    const beforeAdmitAll = host.count('lobby:changed')
    expect(await bystanderClient.call('lobby:admitAll', {})).toEqual({})
    await waitUntil(() => host.count('lobby:changed') > beforeAdmitAll, {
      description: 'the emptied lobby announced',
    })
    expect(host.received.filter((e) => e.event === 'lobby:changed').at(-1)?.payload).toEqual({
      lobby: [],
    })
    expect((await participantRow(meeting.id, carl.userId)).status).toBe('admitted')
    await host.call('meeting:setRole', { userId: bystander.userId, role: 'participant' })
    await bystanderClient.waitFor(
      'meeting:participant',
      (e) => e.participant.role === 'participant',
    )
    const seen = bystanderClient.count('lobby:changed')
    await newGuest(meeting, 'Dora Unseen')
    await host.waitFor('lobby:changed', (e) => e.lobby.length === 1)
    await sleep(200)
    expect(bystanderClient.count('lobby:changed')).toBe(seen)
  })
})

describe('raised hands', () => {
  it('queue in the order raised; a moderator lowers one or all', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await connect(setup.organizer)
    await host.call('media:join', { inviteCode: meeting.inviteCode })
    const people: Array<{ userId: string; client: SignalingClient }> = []
    for (const name of ['Hana First', 'Hugo Second', 'Hera Third']) {
      const guest = await newGuest(meeting, name)
      const client = await connect(guest)
      await client.call('media:join', { inviteCode: meeting.inviteCode })
      people.push({ userId: guest.userId, client })
    }
    const [first, second, third] = people as [
      (typeof people)[0],
      (typeof people)[0],
      (typeof people)[0],
    ]
    for (const person of [second, first, third]) {
      expect(await person.client.call('hand:raise', {})).toEqual({})
      await sleep(5)
    }
    // Raising again keeps the place in the queue.
    await second.client.call('hand:raise', {})
    await host.waitFor('meeting:participant', (e) => e.participant.userId === third.userId)
    const queue = (await host.call('meeting:state', {})).participants
      .filter((p) => p.handRaisedAt !== null)
      .sort((a, b) => a.handRaisedAt!.localeCompare(b.handRaisedAt!))
      .map((p) => p.userId)
    expect(queue).toEqual([second.userId, first.userId, third.userId])

    // A participant cannot lower someone else's hand, only their own.
    expect(await first.client.request('hand:lower', { userId: second.userId })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(await first.client.call('hand:lower', {})).toEqual({})
    expect(first.client.count('moderation:applied')).toBe(0)

    expect(await host.call('hand:lower', { userId: second.userId })).toEqual({})
    expect(await second.client.waitFor('moderation:applied')).toEqual({
      action: 'lowerHand',
      byName: 'Olga Organizer',
    })
    expect(await host.call('hand:lowerAll', {})).toEqual({})
    await third.client.waitFor('moderation:applied')
    const after = (await host.call('meeting:state', {})).participants
    expect(after.every((p) => p.handRaisedAt === null)).toBe(true)
    expect((await auditOf(meeting.id)).map((row) => row.action)).toEqual([
      'meeting.lower-hand',
      'meeting.lower-all-hands',
    ])
  })
})

describe('reactions', () => {
  it('reach everyone in the room, at most 5 a second per connection', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const elsewhere = await newMeeting()
    const host = await connect(setup.organizer)
    const guest = await newGuest(meeting, 'Rita Reacts')
    const guestClient = await connect(guest)
    const outsider = await connect(await newGuest(elsewhere, 'Otto Outside'))
    const hostPeer = (await host.call('media:join', { inviteCode: meeting.inviteCode })).peerId
    await guestClient.call('media:join', { inviteCode: meeting.inviteCode })
    await outsider.call('media:join', { inviteCode: elsewhere.inviteCode })

    const acks = await Promise.all(
      Array.from({ length: 8 }, () => host.request('reaction:send', { emoji: '🎉' })),
    )
    expect(acks.filter((ack) => ack.ok)).toHaveLength(5)
    expect(acks.filter((ack) => !ack.ok && ack.code === 'RATE_LIMITED')).toHaveLength(3)
    expect(await guestClient.waitFor('meeting:reaction')).toEqual({
      peerId: hostPeer,
      userId: setup.organizer.userId,
      emoji: '🎉',
    })
    await waitUntil(() => host.count('meeting:reaction') === 5, {
      description: 'the sender sees its own reactions',
    })
    expect(await guestClient.request('reaction:send', { emoji: '<script>' })).toMatchObject({
      ok: false,
      code: 'BAD_REQUEST',
    })
    await sleep(1_100)
    expect(await host.call('reaction:send', { emoji: '👍' })).toEqual({})
    await sleep(100)
    expect(guestClient.count('meeting:reaction')).toBe(6)
    expect(outsider.count('meeting:reaction')).toBe(0)
  })
})
