// Fuzzing the socket API: for every client event in ClientEventSchemas (iterated, so events added
// later are covered too) ≥10,000 random payloads — anything at all, near misses of the event's
// schema, and schema-shaped values with real ids mixed in — sent by peers joined to one meeting.
// What must hold: the web process and the media-node stay up, every request is answered with a
// well-formed ack, nothing answers INTERNAL, and a second meeting running meanwhile does not
// notice: its peers keep hearing each other and nothing about it changes.
import fc from 'fast-check'
import { describe, expect, it, onTestFailed } from 'vitest'
import { ErrorCode } from '#core/errors.ts'
import type { Meeting } from '#core/db/types.ts'
import type { Ack } from '#core/protocol/ack.ts'
import { ClientEventSchemas, type ClientEvent } from '#core/protocol/signaling.ts'
import { useMeetingStack } from '#tests/fixtures/meeting-stack.ts'
import { waitUntil } from '#tests/fixtures/process.ts'
import type { SignalingClient } from '#tests/fixtures/signaling.ts'
import { fuzzPayloadArbitrary } from '#tests/fixtures/zod-arbitrary.ts'

const PAYLOADS_PER_EVENT = 10_000
/** Fuzzing peers in the meeting: each socket runs its events in order, so several run at once. */
const FUZZERS = 4
/** Requests each fuzzer has in flight (the gateway queues 32 a socket; more get RATE_LIMITED). */
const IN_FLIGHT = 48
const ACK_TIMEOUT_MS = 15_000
/** Events a peer of the untouched meeting may get meanwhile: they come from its own media. */
const AMBIENT_EVENTS = new Set(['media:audioLevels', 'media:activeSpeaker'])

const setup = useMeetingStack({ media: true, env: { RATE_LIMIT_FACTOR: '10' } })
const { cleanups, newMeeting, newGuest, connect, joinWithMedia } = setup

async function joinAsGuest(meeting: Meeting, name: string) {
  const guest = await newGuest(meeting, name)
  const client = await connect(guest)
  return { client, ...(await joinWithMedia(client, meeting)), userId: guest.userId }
}

/** Everything about a meeting a fuzzer could have changed. */
async function snapshotOf(meetingId: string) {
  const db = setup.stack.database.db
  return {
    meeting: await db.selectFrom('meeting').selectAll().where('id', '=', meetingId).execute(),
    participants: await db
      .selectFrom('meetingParticipant')
      .selectAll()
      .where('meetingId', '=', meetingId)
      .orderBy('userId')
      .execute(),
    audit: await db
      .selectFrom('auditLog')
      .selectAll()
      .where('targetId', '=', meetingId)
      .orderBy('id')
      .execute(),
    openAttendance: await db
      .selectFrom('meetingAttendance')
      .select(['peerId', 'userId'])
      .where('meetingId', '=', meetingId)
      .where('leftAt', 'is', null)
      .orderBy('peerId')
      .execute(),
  }
}

const errorCodes = new Set<string>(Object.values(ErrorCode))
function isWellFormedAck(ack: unknown): boolean {
  if (!ack || typeof ack !== 'object') return false
  const value = ack as Record<string, unknown>
  if (value.ok === true) return 'data' in value
  return (
    value.ok === false &&
    typeof value.code === 'string' &&
    errorCodes.has(value.code) &&
    typeof value.message === 'string'
  )
}

type Emit = (event: string, payload: unknown) => Promise<Ack<unknown>>
const emitterOf = (client: SignalingClient): Emit => {
  const timed = client.socket.timeout(ACK_TIMEOUT_MS)
  return timed.emitWithAck.bind(timed) as unknown as Emit
}

describe('socket fuzz', () => {
  it(
    `every client event survives ${PAYLOADS_PER_EVENT} random payloads without harm to another meeting`,
    { timeout: 300_000 },
    async () => {
      onTestFailed(() => {
        console.error(`--- web ---\n${setup.stack.web.output().slice(-8000)}`)
        console.error(`--- media-node ---\n${setup.stack.media?.process.output().slice(-4000)}`)
      })
      // The meeting nobody fuzzes: two peers hearing each other.
      const quiet = await newMeeting()
      const host = await connect(setup.organizer)
      const { joined: hostJoined, peer: hostPeer } = await joinWithMedia(host, quiet)
      const hostMic = await hostPeer.produceAudio()
      cleanups.push(() => hostMic.stop())
      const listener = await joinAsGuest(quiet, 'Quiet Listener')
      const listenerMic = await listener.peer.produceAudio()
      cleanups.push(() => listenerMic.stop())
      const heardByListener = await listener.peer.consume(hostMic.producer.id)
      const heardByHost = await hostPeer.consume(listenerMic.producer.id)
      await waitUntil(() => heardByListener.packets() > 10 && heardByHost.packets() > 10, {
        description: 'the quiet meeting hears both ways',
      })
      const quietBefore = await snapshotOf(quiet.id)
      const quietEventsBefore = [host, listener.client].map((c) => c.received.length)

      // The fuzzed meeting: guests with media, their transports and producers known ids.
      const noisy = await newMeeting()
      const fuzzers = await Promise.all(
        Array.from({ length: FUZZERS }, (_, i) => joinAsGuest(noisy, `Fuzzer ${i + 1}`)),
      )
      const ownIds: string[] = []
      for (const fuzzer of fuzzers) {
        const mic = await fuzzer.peer.produceAudio()
        cleanups.push(() => mic.stop())
        ownIds.push(mic.producer.id, (await fuzzer.peer.sendTransport()).id)
        ownIds.push((await fuzzer.peer.recvTransport()).id, fuzzer.joined.peerId, fuzzer.userId)
      }
      // Real values anywhere a string goes: ids of both meetings, their invite codes.
      const pool = [
        ...ownIds,
        noisy.inviteCode,
        quiet.inviteCode,
        setup.organizer.userId,
        listener.userId,
        hostMic.producer.id,
        listenerMic.producer.id,
        heardByListener.consumer.id,
        hostJoined.peerId,
        listener.joined.peerId,
        (await hostPeer.sendTransport()).id,
      ]

      const emits = fuzzers.map((fuzzer) => emitterOf(fuzzer.client))
      const events = Object.keys(ClientEventSchemas) as ClientEvent[]
      const codes = new Map<string, number>()
      const internal: string[] = []
      const malformed: string[] = []
      const startedAt = performance.now()
      for (const [index, event] of events.entries()) {
        const schema = ClientEventSchemas[event]
        const payloads = fc.sample(fuzzPayloadArbitrary(schema, { pool }), {
          numRuns: PAYLOADS_PER_EVENT,
          seed: 4_2000 + index,
        })
        // Each fuzzer takes every FUZZERS-th payload, IN_FLIGHT at a time.
        await Promise.all(
          fuzzers.map(async (fuzzer, f) => {
            const mine = payloads.filter((_, i) => i % FUZZERS === f)
            for (let start = 0; start < mine.length; start += IN_FLIGHT) {
              const batch = mine.slice(start, start + IN_FLIGHT)
              const acks = await Promise.all(
                batch.map((payload) =>
                  emits[f]!(event, payload).catch((error: unknown) => ({ timeout: String(error) })),
                ),
              )
              for (const [i, ack] of acks.entries()) {
                if (!isWellFormedAck(ack)) {
                  malformed.push(`${event} ${JSON.stringify(batch[i])} → ${JSON.stringify(ack)}`)
                  continue
                }
                const key = `${event} ${(ack as Ack<unknown>).ok ? 'ok' : (ack as { code: string }).code}`
                codes.set(key, (codes.get(key) ?? 0) + 1)
                if (!(ack as Ack<unknown>).ok && (ack as { code: string }).code === 'INTERNAL') {
                  internal.push(`${event} ${JSON.stringify(batch[i])}`)
                }
              }
              // Fuzzed out of the meeting (media:leave): back in for the rest.
              const hasLeft = acks.some(
                (ack) =>
                  (ack as { message?: string }).message === 'Join the meeting first (media:join)',
              )
              if (event === 'media:leave' || hasLeft) {
                const rejoin = await fuzzer.client.request('media:join', {
                  inviteCode: noisy.inviteCode,
                })
                if (!rejoin.ok && rejoin.code !== 'CONFLICT') {
                  throw new Error(`fuzzer could not rejoin: ${rejoin.code} ${rejoin.message}`)
                }
              }
            }
          }),
        )
        expect(setup.stack.web.isRunning(), `web after ${event}`).toBe(true)
      }
      const seconds = (performance.now() - startedAt) / 1000
      const total = events.length * PAYLOADS_PER_EVENT
      console.info(
        `fuzzed ${events.length} events × ${PAYLOADS_PER_EVENT} = ${total} requests in ` +
          `${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s)\n` +
          [...codes].map(([key, count]) => `  ${key}: ${count}`).join('\n'),
      )
      expect(malformed.slice(0, 5)).toEqual([])
      expect(internal.slice(0, 5)).toEqual([])
      expect(setup.stack.web.isRunning()).toBe(true)
      expect(setup.stack.media!.process.isRunning()).toBe(true)
      // Every event reached its handler at least sometimes (not all refused by the schema).
      for (const event of events) {
        const handled = [...codes].some(
          ([key, count]) =>
            key.startsWith(`${event} `) && !key.endsWith('BAD_REQUEST') && count > 0,
        )
        expect(handled, `${event} got past its schema`).toBe(true)
      }

      // The quiet meeting: still hearing both ways, unchanged, told nothing.
      const [listenerPackets, hostPackets] = [heardByListener.packets(), heardByHost.packets()]
      await waitUntil(
        () =>
          heardByListener.packets() > listenerPackets + 10 &&
          heardByHost.packets() > hostPackets + 10,
        { description: 'the quiet meeting still hears both ways' },
      )
      expect(await snapshotOf(quiet.id)).toEqual(quietBefore)
      for (const [i, client] of [host, listener.client].entries()) {
        const news = client.received
          .slice(quietEventsBefore[i])
          .filter((item) => !AMBIENT_EVENTS.has(item.event))
        expect(news.map((item) => item.event)).toEqual([])
      }
      // And both of its peers still answer.
      expect(await host.call('meeting:state', {})).toMatchObject({ myRole: 'organizer' })
      expect(await listener.client.call('meeting:state', {})).toMatchObject({ myRole: 'guest' })
    },
  )
})
