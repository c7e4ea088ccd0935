// Meeting chat end to end: real web + media-node + Redis + PostgreSQL, with Node peers (msc-node on
// werift) that chat over SCTP DataChannels through mediasoup like browsers do, and plain sockets
// that use the chat:send fallback. Checks what participants notice (messages arrive once, in order,
// history is complete) and what must not happen (duplicates, floods, outsiders reading).
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Meeting } from '#core/db/types.ts'
import type { ChatMessage } from '#core/protocol/chat.ts'
import { getMeetingTranscript } from '#server/services/chat.ts'
import { createChatPeer } from '#tests/fixtures/chat-peer.ts'
import { createUser } from '#tests/fixtures/factories.ts'
import type { HttpClient } from '#tests/fixtures/http-client.ts'
import { useMeetingStack } from '#tests/fixtures/meeting-stack.ts'
import { mediasoupWorkers, waitUntil } from '#tests/fixtures/process.ts'

const setup = useMeetingStack()
const { cleanups, newMeeting, newGuest, connect, showOutputOnFailure } = setup

/** Joined, chatting over DataChannels. */
async function joinWithChat(person: { http: HttpClient }, meeting: Meeting, baseUrl?: string) {
  const client = await connect(person, baseUrl)
  const joined = await client.call('media:join', { inviteCode: meeting.inviteCode })
  const chat = await createChatPeer(client, joined)
  cleanups.push(() => chat.close())
  return { client, joined, chat }
}

/** Joined, without SCTP: the socket fallback. */
async function joinWithSocketOnly(person: { http: HttpClient }, meeting: Meeting) {
  const client = await connect(person)
  const joined = await client.call('media:join', { inviteCode: meeting.inviteCode })
  return { client, joined }
}

const storedMessages = (meetingId: string) =>
  setup.stack.database.db
    .selectFrom('message')
    .innerJoin('conversation', 'conversation.id', 'message.conversationId')
    .select(['message.seq', 'message.body', 'message.senderId', 'message.idempotencyKey'])
    .where('conversation.meetingId', '=', meetingId)
    .orderBy('message.seq')
    .execute()

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('meeting chat over DataChannels', () => {
  it('a message sent over a DataChannel is stored once and reaches every participant once', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await joinWithChat(setup.organizer, meeting)
    const guest = await joinWithChat(await newGuest(meeting, 'Gleb Guest'), meeting)
    const plain = await joinWithSocketOnly(await newGuest(meeting, 'Petr Plain'), meeting)

    const key = host.chat.send('  Hello, everyone  ')
    const atGuest = await guest.chat.waitForMessage((m) => m.idempotencyKey === key)
    expect(atGuest).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      seq: 1,
      senderId: setup.organizer.userId,
      senderName: 'Olga Organizer',
      body: 'Hello, everyone',
      createdAt: expect.any(String),
      idempotencyKey: key,
    })
    // The sender hears its own message back over its DataConsumer: that is its "sent" receipt.
    expect(await host.chat.waitForMessage((m) => m.id === atGuest.id)).toEqual(atGuest)
    // A participant without a DataChannel gets it over the socket.
    expect(await plain.client.waitFor('chat:message')).toEqual({ message: atGuest })

    expect(await storedMessages(meeting.id)).toEqual([
      { seq: 1, body: 'Hello, everyone', senderId: setup.organizer.userId, idempotencyKey: key },
    ])
    // A fallback message reaches the DataChannel peers over their DataConsumers.
    const fromPlain = await plain.client.call('chat:send', {
      body: 'from a socket',
      idempotencyKey: randomUUID(),
    })
    expect(fromPlain.message).toMatchObject({
      seq: 2,
      body: 'from a socket',
      senderName: 'Petr Plain',
    })
    await guest.chat.waitForMessage((m) => m.id === fromPlain.message.id)
    await host.chat.waitForMessage((m) => m.id === fromPlain.message.id)

    await sleep(300)
    // Nobody got anything twice; DataChannel peers got nothing over the socket.
    expect(guest.chat.received.map((m) => m.seq)).toEqual([1, 2])
    expect(host.chat.received.map((m) => m.seq)).toEqual([1, 2])
    expect(guest.client.count('chat:message')).toBe(0)
    expect(host.client.count('chat:message')).toBe(0)
    expect(plain.client.count('chat:message')).toBe(2)
  })

  it('a retried send with the same idempotencyKey does not duplicate the message', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await joinWithChat(setup.organizer, meeting)
    const guest = await joinWithChat(await newGuest(meeting, 'Rita Retry'), meeting)

    const key = guest.chat.send('only once')
    const first = await host.chat.waitForMessage((m) => m.idempotencyKey === key)
    // The same message again over the DataChannel, and once more over the socket.
    guest.chat.send('only once', key)
    const viaSocket = await guest.client.call('chat:send', {
      body: 'only once',
      idempotencyKey: key,
    })
    expect(viaSocket.message).toEqual(first)
    // The retrying sender is told the stored message; the others are not bothered again.
    await guest.client.waitFor('chat:message', (e) => e.message.id === first.id)
    await sleep(300)
    expect(host.chat.received.filter((m) => m.idempotencyKey === key)).toHaveLength(1)
    expect(await storedMessages(meeting.id)).toHaveLength(1)
  })

  it('orders messages by seq for everyone and serves history pages', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await joinWithChat(setup.organizer, meeting)
    const guest = await joinWithChat(await newGuest(meeting, 'Olya Order'), meeting)

    const sent: string[] = []
    for (let i = 1; i <= 6; i++) {
      const from = i % 2 ? host : guest
      sent.push(from.chat.send(`message ${i}`))
      // The two senders race; each one's own messages keep their order.
      if (i % 3 === 0) await sleep(50)
    }
    await waitUntil(() => guest.chat.received.length === 6 && host.chat.received.length === 6, {
      description: 'six messages at both peers',
    })
    // Two senders race, so the wire may carry seq 5 before 4 (clients keep messages sorted by seq,
    // decision 0010); both peers get the same six, numbered without gaps, and each sender's own
    // messages arrive in the order sent.
    const bySeq = (messages: ChatMessage[]) => [...messages].sort((a, b) => a.seq - b.seq)
    const stored = bySeq(guest.chat.received)
    expect(stored.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6])
    expect(bySeq(host.chat.received)).toEqual(stored)
    const bodiesFrom = (isOrganizer: boolean) =>
      guest.chat.received
        .filter((m) => (m.senderId === setup.organizer.userId) === isOrganizer)
        .map((m) => m.body)
    expect(bodiesFrom(true)).toEqual(['message 1', 'message 3', 'message 5'])
    expect(bodiesFrom(false)).toEqual(['message 2', 'message 4', 'message 6'])

    const all = await guest.client.call('chat:history', {})
    expect(all).toEqual({ messages: stored, hasMore: false })
    const newest = await guest.client.call('chat:history', { limit: 2 })
    expect(newest.messages.map((m) => m.seq)).toEqual([5, 6])
    expect(newest.hasMore).toBe(true)
    const older = await guest.client.call('chat:history', { beforeSeq: 5, limit: 3 })
    expect(older.messages.map((m) => m.seq)).toEqual([2, 3, 4])
    expect(older.hasMore).toBe(true)
    const after = await guest.client.call('chat:history', { afterSeq: 4 })
    expect(after).toEqual({ messages: stored.slice(4), hasMore: false })
    expect(await guest.client.request('chat:history', { beforeSeq: 3, afterSeq: 1 })).toMatchObject(
      { ok: false, code: 'BAD_REQUEST' },
    )

    // Someone who joins later sees everything.
    const late = await joinWithSocketOnly(await newGuest(meeting, 'Lev Late'), meeting)
    expect((await late.client.call('chat:history', {})).messages).toEqual(stored)
  })
})

describe('meeting chat across web instances', () => {
  it('each DataChannel message is stored once by the instance holding its sender, and reaches both', async () => {
    showOutputOnFailure()
    const second = await setup.stack.startWebInstance()
    const meeting = await newMeeting()
    const host = await joinWithChat(setup.organizer, meeting)
    const guest = await joinWithChat(
      await newGuest(meeting, 'Inna Instance'),
      meeting,
      second.baseUrl,
    )
    const guestChat = guest.chat

    const fromHost = host.chat.send('from instance one')
    const fromGuest = guestChat.send('from instance two')
    for (const chat of [host.chat, guestChat]) {
      await chat.waitForMessage((m) => m.idempotencyKey === fromHost)
      await chat.waitForMessage((m) => m.idempotencyKey === fromGuest)
    }
    await sleep(300)
    expect(host.chat.received).toHaveLength(2)
    expect(guestChat.received).toHaveLength(2)
    expect((await storedMessages(meeting.id)).map((m) => m.idempotencyKey).sort()).toEqual(
      [fromHost, fromGuest].sort(),
    )
  })
})

describe('meeting chat when the media worker dies', () => {
  it('goes over the socket until the peers open DataChannels on the rebuilt room, then over them', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await joinWithChat(setup.organizer, meeting)
    const guest = await joinWithChat(await newGuest(meeting, 'Vera Worker'), meeting)
    const before = host.chat.send('before')
    await guest.chat.waitForMessage((m) => m.idempotencyKey === before)

    const [worker] = mediasoupWorkers(setup.stack.media!.process.pid)
    process.kill(worker!, 'SIGKILL')
    await guest.client.waitFor('media:reconnect', undefined, 20_000)
    await host.client.waitFor('media:reconnect', undefined, 20_000)

    // Their DataConsumers went with the old router: the socket carries chat meanwhile.
    const during = await host.client.call('chat:send', {
      body: 'during',
      idempotencyKey: randomUUID(),
    })
    expect(await guest.client.waitFor('chat:message')).toEqual({ message: during.message })

    // New transports and DataChannels, as the browser's media reset makes them.
    const hostChat = await createChatPeer(host.client, host.joined)
    const guestChat = await createChatPeer(guest.client, guest.joined)
    cleanups.push(
      () => hostChat.close(),
      () => guestChat.close(),
    )
    const after = hostChat.send('after')
    const received = await guestChat.waitForMessage((m) => m.idempotencyKey === after)
    expect(received).toMatchObject({ seq: 3, body: 'after' })
    await sleep(300)
    expect(guest.client.count('chat:message')).toBe(1)
    expect((await storedMessages(meeting.id)).map((m) => m.body)).toEqual([
      'before',
      'during',
      'after',
    ])
  })
})

describe('meeting chat refusals', () => {
  it('over-long, empty, oversized and malformed messages get clear errors and are not stored', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const guest = await joinWithChat(await newGuest(meeting, 'Lena Long'), meeting)

    const longKey = guest.chat.send('x'.repeat(4001))
    expect(
      await guest.client.waitFor('chat:rejected', (e) => e.idempotencyKey === longKey),
    ).toEqual({
      idempotencyKey: longKey,
      code: 'BAD_REQUEST',
      message: 'Message is longer than 4000 characters',
    })
    const emptyKey = guest.chat.send('   ')
    expect(
      await guest.client.waitFor('chat:rejected', (e) => e.idempotencyKey === emptyKey),
    ).toMatchObject({ code: 'BAD_REQUEST', message: 'Message is empty' })
    // Past the node's limit the message is dropped unread.
    guest.chat.sendRaw(JSON.stringify({ type: 'send', body: 'y'.repeat(20_000) }))
    expect(await guest.client.waitFor('chat:rejected', (e) => e.idempotencyKey === null)).toEqual({
      idempotencyKey: null,
      code: 'BAD_REQUEST',
      message: 'Message is too large',
    })
    guest.chat.sendRaw('not json')
    await guest.client.waitFor('chat:rejected', (e) => e.message === 'A chat message must be JSON')

    expect(
      await guest.client.request('chat:send', {
        body: 'z'.repeat(4001),
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({ ok: false, code: 'BAD_REQUEST', message: expect.stringContaining('4000') })
    expect(
      await guest.client.request('chat:send', { body: 'fine', idempotencyKey: 'not-a-uuid' }),
    ).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    // Exactly 4000 characters is fine.
    const maxKey = guest.chat.send('m'.repeat(4000))
    await guest.chat.waitForMessage((m) => m.idempotencyKey === maxKey)
    expect((await storedMessages(meeting.id)).map((m) => m.idempotencyKey)).toEqual([maxKey])
  })

  it('a flood is cut off with RATE_LIMITED, over the DataChannel and the socket alike', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const flooder = await joinWithChat(await newGuest(meeting, 'Fedor Flood'), meeting)
    const keys = Array.from({ length: 30 }, (_, i) => flooder.chat.send(`spam ${i}`))
    await waitUntil(
      () => flooder.chat.received.length + flooder.client.count('chat:rejected') === keys.length,
      { description: 'every flood message answered' },
    )
    const rejected = flooder.client.received
      .filter((e) => e.event === 'chat:rejected')
      .map((e) => e.payload as { idempotencyKey: string; code: string; message: string })
    expect(flooder.chat.received).toHaveLength(20)
    expect(rejected).toHaveLength(10)
    for (const rejection of rejected) {
      expect(rejection).toEqual({
        idempotencyKey: expect.any(String),
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/^You are sending messages too fast; wait \d+ s$/),
      })
    }
    // The rejected ones are exactly the last ten, and none of them was stored.
    expect(rejected.map((r) => r.idempotencyKey)).toEqual(keys.slice(20))
    expect(await storedMessages(meeting.id)).toHaveLength(20)
    expect(
      await flooder.client.request('chat:send', { body: 'one more', idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: false, code: 'RATE_LIMITED' })
  })

  it('with chat off only the organizer and co-hosts can write', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await joinWithChat(setup.organizer, meeting)
    const guest = await joinWithChat(await newGuest(meeting, 'Sveta Silent'), meeting)
    await setup.stack.database.db
      .updateTable('meeting')
      .set({ isChatEnabled: false })
      .where('id', '=', meeting.id)
      .execute()

    const key = guest.chat.send('may I?')
    expect(await guest.client.waitFor('chat:rejected', (e) => e.idempotencyKey === key)).toEqual({
      idempotencyKey: key,
      code: 'FORBIDDEN',
      message: 'Chat is turned off: only the organizer and co-hosts can write',
    })
    expect(
      await guest.client.request('chat:send', { body: 'may I?', idempotencyKey: randomUUID() }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    const hostKey = host.chat.send('announcement')
    await guest.chat.waitForMessage((m) => m.idempotencyKey === hostKey)
    expect((await storedMessages(meeting.id)).map((m) => m.body)).toEqual(['announcement'])
  })

  it('only members read the chat: no history before joining, no transcript for outsiders', async () => {
    showOutputOnFailure()
    const meeting = await newMeeting()
    const host = await joinWithSocketOnly(setup.organizer, meeting)
    const sent = await host.client.call('chat:send', {
      body: 'members only',
      idempotencyKey: randomUUID(),
    })

    // A guest of this meeting who has not joined, and someone from another meeting.
    const guestSocket = await connect(await newGuest(meeting, 'Nina Notyet'))
    expect(await guestSocket.request('chat:history', {})).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    const otherMeeting = await newMeeting()
    const other = await joinWithSocketOnly(await newGuest(otherMeeting, 'Oleg Other'), otherMeeting)
    expect(await other.client.call('chat:history', {})).toEqual({ messages: [], hasMore: false })

    const outsider = await createUser(setup.stack.database.db, { name: 'Outsider' })
    const db = setup.stack.database.db
    expect(
      await getMeetingTranscript({ db, meetingId: meeting.id, userId: outsider.id }),
    ).toBeNull()
    const transcript = await getMeetingTranscript({
      db,
      meetingId: meeting.id,
      userId: setup.organizer.userId,
    })
    expect(transcript).toEqual([sent.message] satisfies ChatMessage[])
  })
})
