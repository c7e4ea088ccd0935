import { describe, expect, it } from 'vitest'
import type { PeerInfo } from '#core/protocol/media-types.ts'
import {
  createInitialRoomState,
  normalizeVolume,
  roomReducer,
  selectParticipants,
  type RoomAction,
  type RoomState,
} from './room-state.ts'

const track = { id: 'track' } as MediaStreamTrack

function peer(peerId: string, producers: PeerInfo['producers'] = []): PeerInfo {
  return {
    peerId,
    userId: `user-${peerId}`,
    displayName: `Name ${peerId}`,
    role: 'participant',
    producers,
  }
}

function run(...actions: RoomAction[]): RoomState {
  return actions.reduce(roomReducer, createInitialRoomState())
}

const joinedWithAnna: RoomAction = {
  type: 'joined',
  peerId: 'me',
  peers: [
    peer('me', [{ id: 'my-mic', kind: 'audio', source: 'microphone', paused: false }]),
    peer('anna', [
      { id: 'anna-mic', kind: 'audio', source: 'microphone', paused: true },
      { id: 'anna-cam', kind: 'video', source: 'camera', paused: false },
    ]),
  ],
}

describe('roomReducer', () => {
  it('takes the join snapshot without ourselves', () => {
    const state = run(joinedWithAnna)
    expect(state.status).toBe('joined')
    expect(state.peers.map((p) => p.peerId)).toEqual(['anna'])
    expect(Object.keys(state.producers).sort()).toEqual(['anna-cam', 'anna-mic'])
  })

  it('keeps join order and ignores a repeated peerJoined (snapshot and live event overlap)', () => {
    const state = run(
      joinedWithAnna,
      { type: 'peerJoined', peer: peer('boris') },
      { type: 'consumerCreated', producerId: 'anna-cam', consumerId: 'c1', track, isPaused: false },
      {
        type: 'peerJoined',
        peer: peer('anna', [{ id: 'anna-cam', kind: 'video', source: 'camera', paused: false }]),
      },
    )
    expect(state.peers.map((p) => p.peerId)).toEqual(['anna', 'boris'])
    // The repeated snapshot did not reset the consumer we already have.
    expect(state.producers['anna-cam']?.consumerId).toBe('c1')
  })

  it('adds a producer once, and only for a known remote peer', () => {
    const add = (peerId: string, producerId: string): RoomAction => ({
      type: 'producerAdded',
      peerId,
      producerId,
      kind: 'video',
      source: 'screen',
      paused: false,
    })
    const state = run(
      joinedWithAnna,
      add('anna', 'anna-screen'),
      add('anna', 'anna-screen'),
      add('me', 'mine'),
      add('ghost', 'x'),
    )
    expect(Object.keys(state.producers).sort()).toEqual(['anna-cam', 'anna-mic', 'anna-screen'])
  })

  it('tracks pause, consumer and close of a producer', () => {
    let state = run(joinedWithAnna, { type: 'producerResumed', producerId: 'anna-mic' })
    expect(state.producers['anna-mic']?.isPaused).toBe(false)
    state = run(
      joinedWithAnna,
      { type: 'consumerCreated', producerId: 'anna-cam', consumerId: 'c1', track, isPaused: false },
      { type: 'consumerPaused', consumerId: 'c1' },
    )
    expect(state.producers['anna-cam']).toMatchObject({
      consumerId: 'c1',
      track,
      isConsumerPaused: true,
    })
    state = roomReducer(state, { type: 'consumerClosed', consumerId: 'c1' })
    expect(state.producers['anna-cam']).toMatchObject({ consumerId: null, track: null })
    state = roomReducer(state, { type: 'producerClosed', producerId: 'anna-cam' })
    expect(state.producers['anna-cam']).toBeUndefined()
  })

  it('returns the same state for unknown ids (late events)', () => {
    const state = run(joinedWithAnna)
    for (const action of [
      { type: 'producerClosed', producerId: 'nope' },
      { type: 'producerPaused', producerId: 'nope' },
      { type: 'consumerClosed', consumerId: 'nope' },
      { type: 'peerLeft', peerId: 'nope' },
    ] satisfies RoomAction[]) {
      expect(roomReducer(state, action)).toBe(state)
    }
  })

  it('removes a leaving peer with its producers, level and speaker mark', () => {
    const state = run(
      joinedWithAnna,
      { type: 'activeSpeaker', peerId: 'anna' },
      { type: 'audioLevels', levels: [{ peerId: 'anna', volume: -20 }] },
      { type: 'peerLeft', peerId: 'anna' },
    )
    expect(state.peers).toEqual([])
    expect(state.producers).toEqual({})
    expect(state.activeSpeakerId).toBeNull()
    expect(state.audioLevels).toEqual({})
  })

  it('replaces audio levels with each report (absent = silent)', () => {
    const state = run(joinedWithAnna, {
      type: 'audioLevels',
      levels: [
        { peerId: 'anna', volume: -10 },
        { peerId: 'me', volume: -127 },
      ],
    })
    expect(state.audioLevels.anna).toBeGreaterThan(0.8)
    expect(state.audioLevels.me).toBeUndefined()
    expect(roomReducer(state, { type: 'audioLevels', levels: [] }).audioLevels).toEqual({})
  })

  it('a rejoin snapshot replaces everything from the previous session', () => {
    const state = run(
      joinedWithAnna,
      { type: 'consumerCreated', producerId: 'anna-cam', consumerId: 'c1', track, isPaused: false },
      {
        type: 'joined',
        peerId: 'me-2',
        peers: [
          peer('anna', [{ id: 'anna-cam-2', kind: 'video', source: 'camera', paused: false }]),
        ],
      },
    )
    expect(state.peerId).toBe('me-2')
    expect(Object.keys(state.producers)).toEqual(['anna-cam-2'])
    expect(state.producers['anna-cam-2']?.consumerId).toBeNull()
  })

  it('a media reset (SFU room rebuilt) drops every producer but keeps the people', () => {
    const state = run(
      joinedWithAnna,
      { type: 'activeSpeaker', peerId: 'anna' },
      { type: 'mediaReset' },
    )
    expect(state.peers.map((p) => p.peerId)).toEqual(['anna'])
    expect(state.producers).toEqual({})
    expect(state.activeSpeakerId).toBeNull()
  })

  it('ended and left clear the room but keep the connection fields', () => {
    const state = run(joinedWithAnna, { type: 'ended' })
    expect(state.status).toBe('ended')
    expect(state.peers).toEqual([])
  })

  it('connection changes keep the failure unless told otherwise', () => {
    let state = run({ type: 'connection', state: 'failed', failure: 'FORBIDDEN' })
    state = roomReducer(state, { type: 'connection', state: 'reconnecting' })
    expect(state).toMatchObject({ connectionState: 'reconnecting', failure: 'FORBIDDEN' })
    state = roomReducer(state, { type: 'connection', state: 'connected', failure: null })
    expect(state.failure).toBeNull()
  })
})

describe('selectParticipants', () => {
  it('groups producers by peer and derives muted, video and speaking', () => {
    const state = run(
      joinedWithAnna,
      {
        type: 'peerJoined',
        peer: peer('boris', [
          { id: 'boris-mic', kind: 'audio', source: 'microphone', paused: false },
        ]),
      },
      { type: 'consumerCreated', producerId: 'anna-cam', consumerId: 'c1', track, isPaused: false },
      { type: 'activeSpeaker', peerId: 'boris' },
      { type: 'audioLevels', levels: [{ peerId: 'boris', volume: -30 }] },
    )
    const [anna, boris] = selectParticipants(state)
    expect(anna).toMatchObject({
      peerId: 'anna',
      isMuted: true,
      hasVideo: true,
      isActiveSpeaker: false,
      level: 0,
    })
    expect(anna?.camera?.id).toBe('anna-cam')
    expect(boris).toMatchObject({
      peerId: 'boris',
      isMuted: false,
      hasVideo: false,
      isActiveSpeaker: true,
    })
    expect(boris?.level).toBeGreaterThan(0)
  })

  it('a peer without a microphone producer counts as muted; a paused camera shows no video', () => {
    const state = run(
      {
        type: 'joined',
        peerId: 'me',
        peers: [peer('anna', [{ id: 'cam', kind: 'video', source: 'camera', paused: true }])],
      },
      { type: 'consumerCreated', producerId: 'cam', consumerId: 'c', track, isPaused: true },
    )
    expect(selectParticipants(state)[0]).toMatchObject({ isMuted: true, hasVideo: false })
  })
})

describe('normalizeVolume', () => {
  it('maps dBov to 0..1 and passes 0..1 through', () => {
    expect(normalizeVolume(-127)).toBe(0)
    expect(normalizeVolume(-70)).toBe(0)
    expect(normalizeVolume(-35)).toBeCloseTo(0.5)
    expect(normalizeVolume(0)).toBe(1)
    expect(normalizeVolume(0.4)).toBe(0.4)
    expect(normalizeVolume(Number.NaN)).toBe(0)
  })
})
