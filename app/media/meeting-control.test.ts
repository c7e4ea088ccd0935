// MeetingControl against a scripted signaling connection: what the room shows after `meeting:state`
// and each server event, and which notices reach the room.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ControlParticipant, LobbyEntry } from '#core/protocol/meeting-control.ts'
import type { ClientEvent, ServerEventPayloads } from '#core/protocol/signaling.ts'
import {
  DEFAULT_SETTINGS,
  MeetingControl,
  REACTION_TTL_MS,
  selectRaisedHands,
  type ControlNotice,
} from './meeting-control.ts'
import type { ServerEvent, SignalingConnection } from './signaling.ts'

type Snapshot = {
  settings: typeof DEFAULT_SETTINGS
  participants: ControlParticipant[]
  lobby: LobbyEntry[]
  myRole: ControlParticipant['role']
}

function fakeSignaling(snapshot: () => Snapshot | Promise<Snapshot>) {
  const handlers = new Map<string, ((payload: never) => void)[]>()
  const requests: { event: ClientEvent; payload: unknown }[] = []
  const connection: SignalingConnection = {
    isConnected: true,
    request: (async (event: ClientEvent, payload: unknown) => {
      requests.push({ event, payload })
      if (event === 'meeting:state') return snapshot()
      if (event === 'meeting:updateSettings') {
        return { settings: { ...DEFAULT_SETTINGS, ...(payload as object) } }
      }
      return {}
    }) as SignalingConnection['request'],
    on: (event, handler) => {
      handlers.set(event, [...(handlers.get(event) ?? []), handler as (payload: never) => void])
    },
    onLink: () => {},
    connect: () => {},
    close: () => {},
  }
  const push = <E extends ServerEvent>(event: E, payload: ServerEventPayloads[E]) => {
    for (const handler of handlers.get(event) ?? []) handler(payload as never)
  }
  return { connection, requests, push }
}

const person = (userId: string, patch: Partial<ControlParticipant> = {}): ControlParticipant => ({
  userId,
  displayName: userId,
  role: 'participant',
  handRaisedAt: null,
  isForceMuted: false,
  ...patch,
})
const waiting = (userId: string, waitingSince: string): LobbyEntry => ({
  userId,
  displayName: userId,
  isGuest: true,
  waitingSince,
})

afterEach(() => vi.useRealTimers())

describe('MeetingControl', () => {
  it('loads the meeting state and replays events that arrived during the load over it', async () => {
    let answer!: (snapshot: Snapshot) => void
    const { connection, push } = fakeSignaling(() => new Promise((resolve) => (answer = resolve)))
    const control = new MeetingControl({
      signaling: connection,
      myUserId: 'me',
      initialRole: 'guest',
    })
    const loading = control.load()
    push('meeting:participant', {
      participant: person('ann', { handRaisedAt: '2026-01-01T10:00:02Z' }),
    })
    expect(control.getSnapshot().isLoaded).toBe(false)
    answer({
      settings: { ...DEFAULT_SETTINGS, allowSelfUnmute: false },
      participants: [person('me', { role: 'organizer' }), person('ann')],
      lobby: [],
      myRole: 'organizer',
    })
    await loading
    const state = control.getSnapshot()
    expect(state.isLoaded).toBe(true)
    expect(state.myRole).toBe('organizer')
    expect(state.settings.allowSelfUnmute).toBe(false)
    // The hand went up after the snapshot was taken: the replay keeps it.
    expect(state.participants.ann?.handRaisedAt).toBe('2026-01-01T10:00:02Z')
  })

  it('orders raised hands by when they went up and the lobby by waiting time', async () => {
    const { connection, push } = fakeSignaling(() => ({
      settings: DEFAULT_SETTINGS,
      participants: [],
      lobby: [],
      myRole: 'cohost',
    }))
    const control = new MeetingControl({
      signaling: connection,
      myUserId: 'me',
      initialRole: 'cohost',
    })
    await control.load()
    push('meeting:participant', {
      participant: person('b', { handRaisedAt: '2026-01-01T10:00:05Z' }),
    })
    push('meeting:participant', {
      participant: person('a', { handRaisedAt: '2026-01-01T10:00:01Z' }),
    })
    push('meeting:participant', { participant: person('c') })
    const hands = (present: string[]) =>
      selectRaisedHands(control.getSnapshot(), new Set(present)).map((p) => p.userId)
    expect(hands(['a', 'b', 'c'])).toEqual(['a', 'b'])
    // 'a' left the room with the hand up: not in the queue while away, back in place on return.
    expect(hands(['b', 'c'])).toEqual(['b'])
    expect(hands(['a', 'b', 'c'])).toEqual(['a', 'b'])
    push('meeting:participant', { participant: person('a') })
    expect(hands(['a', 'b', 'c'])).toEqual(['b'])

    push('lobby:changed', {
      lobby: [waiting('late', '2026-01-01T10:05:00Z'), waiting('early', '2026-01-01T10:01:00Z')],
    })
    expect(control.getSnapshot().lobby.map((entry) => entry.userId)).toEqual(['early', 'late'])
  })

  it('tells the room who newly waits, what a moderator did to me and my status', async () => {
    const { connection, push } = fakeSignaling(() => ({
      settings: DEFAULT_SETTINGS,
      participants: [],
      lobby: [waiting('first', '2026-01-01T10:00:00Z')],
      myRole: 'organizer',
    }))
    const control = new MeetingControl({
      signaling: connection,
      myUserId: 'me',
      initialRole: 'organizer',
    })
    const notices: ControlNotice[] = []
    control.onNotice((notice) => notices.push(notice))
    await control.load()
    push('lobby:changed', {
      lobby: [waiting('first', '2026-01-01T10:00:00Z'), waiting('second', '2026-01-01T10:00:09Z')],
    })
    push('lobby:changed', { lobby: [waiting('second', '2026-01-01T10:00:09Z')] })
    push('moderation:applied', { action: 'mute', byName: 'Olga' })
    push('participant:status', { inviteCode: 'x'.repeat(24), status: 'removed' })
    expect(notices).toEqual([
      { type: 'lobbyArrived', entries: [waiting('second', '2026-01-01T10:00:09Z')] },
      { type: 'applied', action: 'mute', byName: 'Olga' },
      { type: 'status', inviteCode: 'x'.repeat(24), status: 'removed' },
    ])
  })

  it('reloads the state when my role changes, so a new co-host gets the lobby', async () => {
    let role: Snapshot['myRole'] = 'participant'
    const { connection, push, requests } = fakeSignaling(() => ({
      settings: DEFAULT_SETTINGS,
      participants: [person('me', { role })],
      lobby: role === 'cohost' ? [waiting('guest', '2026-01-01T10:00:00Z')] : [],
      myRole: role,
    }))
    const control = new MeetingControl({
      signaling: connection,
      myUserId: 'me',
      initialRole: 'participant',
    })
    await control.load()
    role = 'cohost'
    push('meeting:participant', { participant: person('me', { role: 'cohost' }) })
    await vi.waitFor(() => expect(control.getSnapshot().lobby).toHaveLength(1))
    expect(control.getSnapshot().myRole).toBe('cohost')
    expect(requests.filter((r) => r.event === 'meeting:state')).toHaveLength(2)
  })

  it('floats a reaction for a while, then drops it', async () => {
    vi.useFakeTimers()
    const { connection, push } = fakeSignaling(() => ({
      settings: DEFAULT_SETTINGS,
      participants: [],
      lobby: [],
      myRole: 'guest',
    }))
    const control = new MeetingControl({
      signaling: connection,
      myUserId: 'me',
      initialRole: 'guest',
    })
    push('meeting:reaction', { peerId: 'p1', userId: 'u1', emoji: '🎉' })
    expect(control.getSnapshot().reactions).toMatchObject([{ peerId: 'p1', emoji: '🎉' }])
    vi.advanceTimersByTime(REACTION_TTL_MS)
    expect(control.getSnapshot().reactions).toEqual([])
  })

  it('applies the settings the server answers with and sends requests as the protocol says', async () => {
    const { connection, requests } = fakeSignaling(() => ({
      settings: DEFAULT_SETTINGS,
      participants: [],
      lobby: [],
      myRole: 'organizer',
    }))
    const control = new MeetingControl({
      signaling: connection,
      myUserId: 'me',
      initialRole: 'organizer',
    })
    await control.updateSettings({ isLocked: true })
    expect(control.getSnapshot().settings.isLocked).toBe(true)
    await control.lowerHand()
    await control.lowerHand('ann')
    expect(requests.slice(-3)).toEqual([
      { event: 'meeting:updateSettings', payload: { isLocked: true } },
      { event: 'hand:lower', payload: {} },
      { event: 'hand:lower', payload: { userId: 'ann' } },
    ])
  })
})
