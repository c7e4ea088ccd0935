// Messenger end to end over real web processes, PostgreSQL and Redis: what people notice (messages
// arrive once and in order, on every tab, across instances, after a reconnect), and what must not
// happen (outsiders reading, posting, editing, downloading — by guessing ids or from another
// organization; members posting in announcement channels; floods).
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import type { Ack } from '#core/protocol/ack.ts'
import type { MessengerMessage } from '#core/protocol/messenger.ts'
import {
  connectPerson,
  postWithRetry,
  signUpPerson,
  type Person,
} from '#tests/fixtures/messenger.ts'
import { sql } from 'kysely'
import { createDatabase } from '#core/db/client.ts'
import { joinMeetingConversation } from '#server/services/chat.ts'
import { postConversationMessage } from '#server/services/messenger.ts'
import { createMeeting } from '#tests/fixtures/factories.ts'
import { waitUntil } from '#tests/fixtures/process.ts'
import type { SignalingClient } from '#tests/fixtures/signaling.ts'
import { startStack, type Stack } from '#tests/fixtures/stack.ts'

let stack: Stack
let secondUrl: string
let alice: Person
let bob: Person
let carol: Person
let mallory: Person

beforeAll(async () => {
  stack = await startStack({ env: { RATE_LIMIT_FACTOR: '4' } })
  secondUrl = (await stack.startWebInstance()).baseUrl
  alice = await signUpPerson(stack, 'Alice Alexeeva')
  bob = await signUpPerson(stack, 'Bob Borisov', alice.organizationId)
  carol = await signUpPerson(stack, 'Carol Carlsen', alice.organizationId)
  // Another organization on the same deployment.
  mallory = await signUpPerson(stack, 'Mallory Moroz')
})
afterAll(() => stack?.stop())

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})
const showOutputOnFailure = () =>
  onTestFailed(() => {
    console.error(`--- web ---\n${stack.web.output().slice(-6000)}`)
  })

const connect = (person: Person, baseUrl = stack.baseUrl) =>
  connectPerson(baseUrl, person, cleanups)

/** New messages as received, a messenger:messageBatch counting as its messages in order. */
const messagesIn = (client: SignalingClient, conversationId: string) =>
  client.received
    .flatMap((item) =>
      item.event === 'messenger:message'
        ? [(item.payload as { message: MessengerMessage }).message]
        : item.event === 'messenger:messageBatch'
          ? (item.payload as { messages: MessengerMessage[] }).messages
          : [],
    )
    .filter((message) => message.conversationId === conversationId)

async function newGroup(owner: SignalingClient, memberIds: string[], title = 'Team') {
  const { conversation } = await owner.call('messenger:createGroup', { title, memberIds })
  return conversation.id
}

describe('sending', () => {
  it('acks after commit with consecutive seqs, delivers in order, never duplicates a retry', async () => {
    showOutputOnFailure()
    const a = await connect(alice)
    const b = await connect(bob)
    const { conversation } = await a.call('messenger:createDirect', { userId: bob.userId })
    // The same direct chat from either side.
    const again = await b.call('messenger:createDirect', { userId: alice.userId })
    expect(again.conversation.id).toBe(conversation.id)
    expect(again.conversation.title).toBe(alice.name)

    const sent: MessengerMessage[] = []
    for (let index = 1; index <= 20; index += 1) {
      const { message } = await a.call('messenger:post', {
        conversationId: conversation.id,
        body: `message ${index}`,
        idempotencyKey: randomUUID(),
      })
      sent.push(message)
      // Acked means stored.
      const row = await stack.database.db
        .selectFrom('message')
        .select('seq')
        .where('id', '=', message.id)
        .executeTakeFirst()
      expect(row?.seq).toBe(message.seq)
    }
    const firstSeq = sent[0]!.seq
    expect(sent.map((message) => message.seq)).toEqual(
      Array.from({ length: 20 }, (_, index) => firstSeq + index),
    )
    await waitUntil(() => messagesIn(b, conversation.id).length >= 20, {
      description: 'bob has all 20',
      timeoutMs: 10_000,
    })
    expect(messagesIn(b, conversation.id).map((message) => message.body)).toEqual(
      sent.map((message) => message.body),
    )

    // A retry with the same key gets the stored message back, not a second copy.
    const key = randomUUID()
    const first = await a.call('messenger:post', {
      conversationId: conversation.id,
      body: 'only once',
      idempotencyKey: key,
    })
    const retries = await Promise.all(
      Array.from({ length: 5 }, () =>
        a.call('messenger:post', {
          conversationId: conversation.id,
          body: 'only once',
          idempotencyKey: key,
        }),
      ),
    )
    for (const retry of retries) expect(retry.message.id).toBe(first.message.id)
    const copies = await stack.database.db
      .selectFrom('message')
      .select('id')
      .where('conversationId', '=', conversation.id)
      .where('body', '=', 'only once')
      .execute()
    expect(copies).toHaveLength(1)

    // Concurrent senders on two instances get distinct consecutive seqs.
    const b2 = await connect(bob, secondUrl)
    const concurrent = await Promise.all([
      ...Array.from({ length: 10 }, (_, index) =>
        a.call('messenger:post', {
          conversationId: conversation.id,
          body: `a${index}`,
          idempotencyKey: randomUUID(),
        }),
      ),
      ...Array.from({ length: 10 }, (_, index) =>
        b2.call('messenger:post', {
          conversationId: conversation.id,
          body: `b${index}`,
          idempotencyKey: randomUUID(),
        }),
      ),
    ])
    const seqs = concurrent.map((result) => result.message.seq).sort((x, y) => x - y)
    expect(new Set(seqs).size).toBe(20)
    expect(seqs.at(-1)! - seqs[0]!).toBe(19)

    // Unread: alice's messages after bob's own last one (posting marks the conversation read).
    const bobsLast = Math.max(...concurrent.slice(10).map((result) => result.message.seq))
    const expectedUnread = concurrent
      .slice(0, 10)
      .filter((result) => result.message.seq > bobsLast).length
    const list = await b.call('messenger:list', {})
    const summary = list.conversations.find((item) => item.id === conversation.id)!
    expect(summary.unreadCount).toBe(expectedUnread)
    expect(summary.lastMessage?.seq).toBe(seqs.at(-1))
  })

  it('refuses over-long and empty bodies and floods with clear errors', async () => {
    const flooder = await signUpPerson(stack, 'Fred Flood', alice.organizationId)
    const f = await connect(flooder)
    const conversationId = await newGroup(f, [alice.userId], 'Flood')
    const tooLong = await f.request('messenger:post', {
      conversationId,
      body: 'x'.repeat(4001),
      idempotencyKey: randomUUID(),
    })
    expect(tooLong).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    expect((tooLong as { message: string }).message).toMatch(/longer than 4000 characters/)
    const empty = await f.request('messenger:post', {
      conversationId,
      body: '   ',
      idempotencyKey: randomUUID(),
    })
    expect(empty).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    // Budget: 30 per 10 s × RATE_LIMIT_FACTOR 4 = 120.
    const results: Ack<unknown>[] = []
    for (let batch = 0; batch < 7; batch += 1) {
      results.push(
        ...(await Promise.all(
          Array.from({ length: 20 }, () =>
            f.request('messenger:post', {
              conversationId,
              body: 'spam',
              idempotencyKey: randomUUID(),
            }),
          ),
        )),
      )
    }
    const limited = results.filter((result) => !result.ok)
    expect(results.filter((result) => result.ok)).toHaveLength(120)
    expect(limited).toHaveLength(20)
    expect(limited[0]).toMatchObject({ code: 'RATE_LIMITED' })
  })
})

describe('delivery', () => {
  it('recovers the gap after a forced disconnect: nothing missing, nothing duplicated, in order', async () => {
    showOutputOnFailure()
    const a = await connect(alice)
    const conversationId = await newGroup(a, [bob.userId], 'Gap')
    let b = await connect(bob)
    const total = 80
    let sending = true
    const sender = (async () => {
      for (let index = 1; index <= total; index += 1) {
        await postWithRetry(() => a, { conversationId, body: `stream ${index}` })
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
      sending = false
    })()
    await waitUntil(() => messagesIn(b, conversationId).length >= 15, {
      description: 'bob receiving the stream',
      timeoutMs: 10_000,
    })
    // Force-close the transport (like a network drop), not a polite disconnect.
    b.socket.io.engine.close()
    const before = messagesIn(b, conversationId)
    const lastSeen = before.at(-1)!.seq
    expect(sending).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 300))
    b = await connect(bob)
    // Catch up from lastSeen while the stream goes on; live messages arrive on the new socket.
    const caughtUp: MessengerMessage[] = []
    let cursor = lastSeen
    for (;;) {
      const page = await b.call('messenger:messages', {
        conversationId,
        afterSeq: cursor,
        limit: 20,
      })
      caughtUp.push(...page.messages)
      if (page.messages.length) cursor = page.messages.at(-1)!.seq
      if (!page.hasMore) break
    }
    await sender
    await waitUntil(
      () => {
        const seen = new Set(
          [...before, ...caughtUp, ...messagesIn(b, conversationId)].map((message) => message.seq),
        )
        return seen.size >= total
      },
      { description: 'every message seen', timeoutMs: 10_000 },
    )
    // The catch-up page itself: ascending, no duplicates.
    const caughtSeqs = caughtUp.map((message) => message.seq)
    expect(caughtSeqs).toEqual([...caughtSeqs].sort((x, y) => x - y))
    expect(new Set(caughtSeqs).size).toBe(caughtSeqs.length)
    // Merged like the client does (by seq): exactly 1..total.
    const merged = new Map<number, MessengerMessage>()
    for (const message of [...before, ...caughtUp, ...messagesIn(b, conversationId)]) {
      const known = merged.get(message.seq)
      if (known) expect(known.id).toBe(message.id)
      merged.set(message.seq, message)
    }
    const ordered = [...merged.values()].sort((x, y) => x.seq - y.seq)
    expect(ordered.map((message) => message.body)).toEqual(
      Array.from({ length: total }, (_, index) => `stream ${index + 1}`),
    )
    expect(ordered.map((message) => message.seq)).toEqual(
      Array.from({ length: total }, (_, index) => index + 1),
    )
  })

  it('reaches a recipient on another web instance; both tabs of a person stay in sync', async () => {
    showOutputOnFailure()
    const a = await connect(alice)
    const bOnSecond = await connect(bob, secondUrl)
    const bOtherTab = await connect(bob)
    const conversationId = await newGroup(a, [bob.userId], 'Cross')
    await bOnSecond.waitFor('messenger:conversation', (p) => p.conversation.id === conversationId)
    const { message } = await a.call('messenger:post', {
      conversationId,
      body: 'hello from instance A',
      idempotencyKey: randomUUID(),
      mentionIds: [bob.userId],
    })
    const received = await bOnSecond.waitFor(
      'messenger:message',
      (p) => p.message.id === message.id,
    )
    expect(received.message.body).toBe('hello from instance A')
    await bOnSecond.waitFor('messenger:mention', (p) => p.message.id === message.id)
    await bOtherTab.waitFor('messenger:message', (p) => p.message.id === message.id)

    // Typing crosses instances too (volatile), and not back to the typist.
    await bOnSecond.call('messenger:typing', { conversationId })
    const typing = await a.waitFor('messenger:typing', (p) => p.conversationId === conversationId)
    expect(typing).toMatchObject({ userId: bob.userId, name: bob.name })
    expect(bOtherTab.count('messenger:typing')).toBe(0)

    // Reading on one tab moves the marker on the other (and alice sees the receipt).
    const read = await bOnSecond.call('messenger:read', { conversationId, seq: message.seq })
    expect(read).toEqual({ lastReadSeq: message.seq, unreadCount: 0 })
    await bOtherTab.waitFor(
      'messenger:read',
      (p) => p.conversationId === conversationId && p.seq === message.seq,
    )
    await a.waitFor('messenger:read', (p) => p.userId === bob.userId && p.seq === message.seq)

    // Edits, reactions, replies, forwards, pins, deletes reach both tabs.
    await a.call('messenger:edit', { messageId: message.id, body: 'hello, edited' })
    await bOnSecond.waitFor(
      'messenger:messageUpdated',
      (p) => p.message.id === message.id && p.message.body === 'hello, edited',
    )
    const reacted = await bOnSecond.call('messenger:react', {
      messageId: message.id,
      emoji: '👍',
      on: true,
    })
    expect(reacted.message.reactions).toEqual([{ emoji: '👍', count: 1, userIds: [bob.userId] }])
    await a.waitFor('messenger:messageUpdated', (p) => p.message.reactions.length === 1)
    const reply = await bOtherTab.call('messenger:post', {
      conversationId,
      body: 'a reply',
      idempotencyKey: randomUUID(),
      replyToId: message.id,
    })
    expect(reply.message.replyTo).toMatchObject({
      id: message.id,
      senderName: alice.name,
      excerpt: 'hello, edited',
    })
    const { conversation: direct } = await a.call('messenger:createDirect', {
      userId: carol.userId,
    })
    const forwarded = await a.call('messenger:forward', {
      messageId: reply.message.id,
      toConversationId: direct.id,
      idempotencyKey: randomUUID(),
    })
    expect(forwarded.message.forwardedFrom).toMatchObject({
      conversationTitle: 'Cross',
      senderName: bob.name,
    })
    expect(forwarded.message.body).toBe('a reply')
    const pinned = await a.call('messenger:pin', { messageId: message.id, on: true })
    expect(pinned.message.isPinned).toBe(true)
    const opened = await bOnSecond.call('messenger:open', { conversationId })
    expect(opened.pinned.map((item) => item.id)).toEqual([message.id])
    expect(opened.members.map((member) => member.userId).sort()).toEqual(
      [alice.userId, bob.userId].sort(),
    )
    const deleted = await a.call('messenger:delete', { messageId: message.id })
    expect(deleted.message).toMatchObject({ body: '', isPinned: false, reactions: [] })
    expect(deleted.message.deletedAt).not.toBeNull()
    await bOtherTab.waitFor(
      'messenger:messageUpdated',
      (p) => p.message.id === message.id && p.message.deletedAt !== null,
    )
    const history = await bOnSecond.call('messenger:messages', { conversationId })
    expect(history.messages.find((item) => item.id === message.id)?.body).toBe('')
  })
})

describe('authorization', () => {
  it('keeps non-members and other organizations out of everything (NOT_FOUND)', async () => {
    showOutputOnFailure()
    const a = await connect(alice)
    const b = await connect(bob)
    const c = await connect(carol)
    const m = await connect(mallory)
    const conversationId = await newGroup(a, [bob.userId], 'Private')
    const upload = await fetch(`${stack.baseUrl}/api/attachments`, {
      method: 'POST',
      headers: {
        cookie: alice.http.cookieHeader(),
        origin: stack.baseUrl,
        'x-file-name': 'notes.txt',
      },
      body: 'secret notes',
    })
    expect(upload.status).toBe(201)
    const { attachment } = (await upload.json()) as { attachment: { id: string } }
    const { message } = await a.call('messenger:post', {
      conversationId,
      body: 'members only',
      idempotencyKey: randomUUID(),
      attachmentIds: [attachment.id],
    })
    const { conversation: channel } = await a.call('messenger:createChannel', {
      title: 'Private channel',
      isPublic: false,
    })
    const { conversation: publicChannel } = await m.call('messenger:createChannel', {
      title: 'Mallory public',
      isPublic: true,
    })
    const notFound = { ok: false, code: 'NOT_FOUND' }
    const guessed = randomUUID()
    for (const [who, client] of [
      ['carol (same organization, not a member)', c],
      ['mallory (another organization)', m],
    ] as const) {
      const attempts = {
        open: await client.request('messenger:open', { conversationId }),
        messages: await client.request('messenger:messages', { conversationId }),
        post: await client.request('messenger:post', {
          conversationId,
          body: 'let me in',
          idempotencyKey: randomUUID(),
        }),
        edit: await client.request('messenger:edit', { messageId: message.id, body: 'mine now' }),
        delete: await client.request('messenger:delete', { messageId: message.id }),
        react: await client.request('messenger:react', {
          messageId: message.id,
          emoji: '👀',
          on: true,
        }),
        pin: await client.request('messenger:pin', { messageId: message.id, on: true }),
        forward: await client.request('messenger:forward', {
          messageId: message.id,
          toConversationId: conversationId,
          idempotencyKey: randomUUID(),
        }),
        read: await client.request('messenger:read', { conversationId, seq: 1 }),
        typing: await client.request('messenger:typing', { conversationId }),
        addMembers: await client.request('messenger:addMembers', {
          conversationId,
          userIds: [carol.userId],
        }),
        joinPrivate: await client.request('messenger:join', { conversationId: channel.id }),
        guessedId: await client.request('messenger:open', { conversationId: guessed }),
      }
      for (const [action, result] of Object.entries(attempts)) {
        expect(result, `${who}: ${action}`).toMatchObject(notFound)
      }
      const download = await fetch(`${stack.baseUrl}/api/attachments/${attachment.id}`, {
        headers: {
          cookie: (client === c ? carol : mallory).http.cookieHeader(),
        },
      })
      expect(download.status, `${who}: download`).toBe(404)
      const list = await client.call('messenger:list', {})
      expect(list.conversations.map((item) => item.id)).not.toContain(conversationId)
      const search = await client.call('messenger:search', { query: 'members only' })
      expect(search.hits).toEqual([])
    }
    // Another organization's public channel is not joinable or listed.
    expect(await c.request('messenger:join', { conversationId: publicChannel.id })).toMatchObject(
      notFound,
    )
    const directory = await c.call('messenger:directory', {})
    expect(directory.channels.map((item) => item.id)).not.toContain(publicChannel.id)
    expect(directory.people.map((person) => person.userId)).not.toContain(mallory.userId)
    expect(await m.request('messenger:createDirect', { userId: alice.userId })).toMatchObject(
      notFound,
    )
    // Adding someone from another organization silently adds nobody.
    const added = await a.call('messenger:addMembers', {
      conversationId,
      userIds: [mallory.userId],
    })
    expect(added.conversation.memberCount).toBe(2)
    // Without a session: 401.
    expect((await fetch(`${stack.baseUrl}/api/attachments/${attachment.id}`)).status).toBe(401)

    // Members: bob reads and downloads, but cannot edit or delete alice's message.
    const download = await fetch(`${stack.baseUrl}/api/attachments/${attachment.id}`, {
      headers: { cookie: bob.http.cookieHeader() },
    })
    expect(download.status).toBe(200)
    expect(await download.text()).toBe('secret notes')
    expect(
      await b.request('messenger:edit', { messageId: message.id, body: 'not mine' }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    expect(await b.request('messenger:delete', { messageId: message.id })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    // Someone else's unposted upload cannot be attached.
    expect(
      await b.request('messenger:post', {
        conversationId,
        body: 'stealing',
        idempotencyKey: randomUUID(),
        attachmentIds: [attachment.id],
      }),
    ).toMatchObject({ ok: false, code: 'BAD_REQUEST' })
    // After the message is deleted, the attachment is gone for members too.
    await a.call('messenger:delete', { messageId: message.id })
    const afterDelete = await fetch(`${stack.baseUrl}/api/attachments/${attachment.id}`, {
      headers: { cookie: bob.http.cookieHeader() },
    })
    expect(afterDelete.status).toBe(404)
  })

  it('lets only channel admins post in an announcement channel', async () => {
    const a = await connect(alice)
    const b = await connect(bob)
    const c = await connect(carol)
    const { conversation } = await a.call('messenger:createChannel', {
      title: 'Announcements',
      isPublic: true,
      description: 'News',
      memberIds: [bob.userId],
    })
    expect(conversation).toMatchObject({ kind: 'channel', canPost: true, myRole: 'admin' })
    const bobView = await b.waitFor(
      'messenger:conversation',
      (p) => p.conversation.id === conversation.id,
    )
    expect(bobView.conversation).toMatchObject({ canPost: false, myRole: 'member' })
    const refused = await b.request('messenger:post', {
      conversationId: conversation.id,
      body: 'can I?',
      idempotencyKey: randomUUID(),
    })
    expect(refused).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
      message: 'Only channel admins can post in this channel',
    })
    const { message } = await a.call('messenger:post', {
      conversationId: conversation.id,
      body: 'Office closed on Friday',
      idempotencyKey: randomUUID(),
    })
    await b.call('messenger:react', { messageId: message.id, emoji: '🎉', on: true })
    // Carol finds it in the directory and joins; she reads but cannot post either.
    const directory = await c.call('messenger:directory', {})
    expect(directory.channels.find((item) => item.id === conversation.id)).toMatchObject({
      isMember: false,
      title: 'Announcements',
    })
    const joined = await c.call('messenger:join', { conversationId: conversation.id })
    expect(joined.conversation.canPost).toBe(false)
    const history = await c.call('messenger:messages', { conversationId: conversation.id })
    expect(history.messages.map((item) => item.body)).toEqual(['Office closed on Friday'])
    expect(
      await c.request('messenger:post', {
        conversationId: conversation.id,
        body: 'me too',
        idempotencyKey: randomUUID(),
      }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    // Members cannot manage; an admin makes bob an admin and then he posts.
    expect(
      await b.request('messenger:setMemberRole', {
        conversationId: conversation.id,
        userId: bob.userId,
        role: 'admin',
      }),
    ).toMatchObject({ ok: false, code: 'FORBIDDEN' })
    await a.call('messenger:setMemberRole', {
      conversationId: conversation.id,
      userId: bob.userId,
      role: 'admin',
    })
    await b.call('messenger:post', {
      conversationId: conversation.id,
      body: 'now I can',
      idempotencyKey: randomUUID(),
    })
  })

  it('lets group admins rename, change roles and delete others’ messages; members only their own', async () => {
    const b = await connect(bob)
    const c = await connect(carol)
    const { conversation } = await c.call('messenger:createGroup', {
      title: 'Before',
      memberIds: [bob.userId],
    })
    expect(conversation).toMatchObject({ canManage: true, canDeleteOthers: true })
    const bobView = await b.waitFor(
      'messenger:conversation',
      (p) => p.conversation.id === conversation.id,
    )
    expect(bobView.conversation).toMatchObject({ canManage: false, canDeleteOthers: false })
    const conversationId = conversation.id
    const post = (client: SignalingClient, body: string) =>
      client.call('messenger:post', { conversationId, body, idempotencyKey: randomUUID() })
    const fromBob = (await post(b, 'bob writes')).message
    const fromCarol = (await post(c, 'carol writes')).message

    // Members neither rename nor delete others' messages.
    expect(await b.request('messenger:update', { conversationId, title: 'Mine' })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
    expect(await b.request('messenger:delete', { messageId: fromCarol.id })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })

    // The admin renames; every member's list gets the new title.
    const updated = await c.call('messenger:update', { conversationId, title: 'After' })
    expect(updated.conversation.title).toBe('After')
    await b.waitFor(
      'messenger:conversation',
      (p) => p.conversation.id === conversationId && p.conversation.title === 'After',
    )
    const deleted = await c.call('messenger:delete', { messageId: fromBob.id })
    expect(deleted.message.deletedAt).not.toBeNull()

    // Made an admin, bob may too; made a member again, he may not.
    await c.call('messenger:setMemberRole', { conversationId, userId: bob.userId, role: 'admin' })
    await b.waitFor(
      'messenger:conversation',
      (p) => p.conversation.id === conversationId && p.conversation.canDeleteOthers,
    )
    const bobsList = async () =>
      (await b.call('messenger:list', {})).conversations.find((item) => item.id === conversationId)
    expect(await bobsList()).toMatchObject({ myRole: 'admin', canManage: true })
    const opened = await c.call('messenger:open', { conversationId })
    expect(opened.members.find((member) => member.userId === bob.userId)?.role).toBe('admin')
    await c.call('messenger:setMemberRole', { conversationId, userId: bob.userId, role: 'member' })
    expect(await bobsList()).toMatchObject({ myRole: 'member', canDeleteOthers: false })
    expect(await b.request('messenger:delete', { messageId: fromCarol.id })).toMatchObject({
      ok: false,
      code: 'FORBIDDEN',
    })
  })
})

describe('meeting chats', () => {
  it('lists a meeting’s chat for its members, readable and writable after the meeting', async () => {
    const { db } = stack.database
    const meeting = await createMeeting(db, {
      organizationId: alice.organizationId,
      organizerId: alice.userId,
      status: 'ended',
    })
    // The organizer joins as a moderator: an admin of the meeting's chat.
    const conversationId = await joinMeetingConversation({
      db,
      meetingId: meeting.id,
      userId: alice.userId,
      role: 'admin',
    })
    await joinMeetingConversation({ db, meetingId: meeting.id, userId: bob.userId })
    const a = await connect(alice)
    const b = await connect(bob)
    const c = await connect(carol)
    const list = await a.call('messenger:list', {})
    expect(list.conversations.find((item) => item.id === conversationId)).toMatchObject({
      kind: 'meeting',
      title: meeting.title,
      meetingId: meeting.id,
      canPost: true,
      canManage: false,
      canDeleteOthers: true,
    })
    const bobList = await b.call('messenger:list', {})
    expect(bobList.conversations.find((item) => item.id === conversationId)).toMatchObject({
      canDeleteOthers: false,
    })
    const { message } = await b.call('messenger:post', {
      conversationId,
      body: 'notes after the meeting',
      idempotencyKey: randomUUID(),
    })
    await a.waitFor('messenger:message', (p) => p.message.id === message.id)
    expect(await c.request('messenger:messages', { conversationId })).toMatchObject({
      ok: false,
      code: 'NOT_FOUND',
    })
    // The meeting's moderator removes a participant's message.
    const removed = await a.call('messenger:delete', { messageId: message.id })
    expect(removed.message.deletedAt).not.toBeNull()
    // A later join as a participant (demoted in the meeting) takes the admin role away.
    await joinMeetingConversation({ db, meetingId: meeting.id, userId: alice.userId })
    const demoted = await a.call('messenger:list', {})
    expect(demoted.conversations.find((item) => item.id === conversationId)).toMatchObject({
      canDeleteOthers: false,
    })
  })
})

describe('search', () => {
  it('finds Russian and English words in any form, only in the user’s conversations', async () => {
    // A fresh author: alice has spent her posting budget in the tests above.
    const sveta = await signUpPerson(stack, 'Sveta Sidorova', alice.organizationId)
    const a = await connect(sveta)
    const b = await connect(bob)
    const c = await connect(carol)
    const conversationId = await newGroup(a, [bob.userId], 'Поиск')
    for (const body of [
      'Встреча с клиентами перенесена на пятницу',
      'The quarterly reports are ready for review',
      'Обычное сообщение без ключевых слов',
    ]) {
      await a.call('messenger:post', { conversationId, body, idempotencyKey: randomUUID() })
    }
    const russian = await b.call('messenger:search', { query: 'встречу клиентам' })
    expect(russian.hits.map((hit) => hit.message.body)).toEqual([
      'Встреча с клиентами перенесена на пятницу',
    ])
    expect(russian.hits[0]!.highlight).toContain('[[Встреча]]')
    expect(russian.hits[0]!.conversationTitle).toBe('Поиск')
    const english = await b.call('messenger:search', { query: 'report' })
    expect(english.hits.map((hit) => hit.message.body)).toEqual([
      'The quarterly reports are ready for review',
    ])
    const phrase = await b.call('messenger:search', { query: '"quarterly reports" -draft' })
    expect(phrase.hits).toHaveLength(1)
    expect((await c.call('messenger:search', { query: 'пятница' })).hits).toEqual([])
  })
})

describe('group commit and conversation rooms', () => {
  // People of their own: the earlier tests spent much of alice's posting budget.
  let dana: Person
  let erin: Person
  let frank: Person
  beforeAll(async () => {
    dana = await signUpPerson(stack, 'Dana Dmitrieva', alice.organizationId)
    erin = await signUpPerson(stack, 'Erin Egorova', alice.organizationId)
    frank = await signUpPerson(stack, 'Frank Fomin', alice.organizationId)
  })

  it('commits concurrent posts to one conversation together: each once, seqs without gaps, each delivered once', async () => {
    showOutputOnFailure()
    const people = [dana, erin, frank]
    for (let index = 0; index < 3; index += 1) {
      people.push(await signUpPerson(stack, `Poster ${index}`, alice.organizationId))
    }
    const owner = await connect(dana)
    const conversationId = await newGroup(
      owner,
      people.slice(1).map((person) => person.userId),
      'Busy',
    )
    // Listeners on both instances (they joined the room on becoming members, or on connect).
    const listenerA = await connect(erin)
    const listenerB = await connect(frank, secondUrl)
    // Two tabs per person, one on each instance: 12 sockets posting at once.
    const senders = []
    for (const person of people) {
      senders.push({ person, client: await connect(person) })
      senders.push({ person, client: await connect(person, secondUrl) })
    }
    const posts = senders.flatMap(({ client }, socketIndex) =>
      Array.from({ length: 5 }, (_, index) =>
        client.call('messenger:post', {
          conversationId,
          body: `s${socketIndex} m${index}`,
          idempotencyKey: randomUUID(),
        }),
      ),
    )
    // A retry of one key from the other tab, racing the original in the same burst.
    const retryKey = randomUUID()
    const [first, retry] = await Promise.all([
      senders[0]!.client.call('messenger:post', {
        conversationId,
        body: 'raced retry',
        idempotencyKey: retryKey,
      }),
      senders[1]!.client.call('messenger:post', {
        conversationId,
        body: 'raced retry',
        idempotencyKey: retryKey,
      }),
    ])
    const acked = await Promise.all(posts)
    expect(retry.message.id).toBe(first.message.id)
    const total = acked.length + 1
    const rows = await stack.database.db
      .selectFrom('message')
      .select(['id', 'seq', 'body'])
      .where('conversationId', '=', conversationId)
      .orderBy('seq')
      .execute()
    expect(rows.map((row) => Number(row.seq))).toEqual(
      Array.from({ length: total }, (_, index) => index + 1),
    )
    expect(new Set(rows.map((row) => row.body)).size).toBe(total)
    // Every ack names its stored row.
    const stored = new Map(rows.map((row) => [row.id, Number(row.seq)]))
    for (const { message } of acked) expect(stored.get(message.id)).toBe(message.seq)
    // Each listener gets each message exactly once (retries may re-announce: dropped by seq).
    for (const listener of [listenerA, listenerB]) {
      await waitUntil(
        () => new Set(messagesIn(listener, conversationId).map((m) => m.seq)).size === total,
        { description: 'all messages delivered', timeoutMs: 10_000 },
      )
      const bodies = messagesIn(listener, conversationId)
        .filter((message) => message.body !== 'raced retry')
        .map((message) => message.body)
      expect(bodies).toHaveLength(total - 1)
      expect(new Set(bodies).size).toBe(total - 1)
    }
  })

  it('sends a busy conversation in frames at most every 10 ms, in order, and a quiet one at once', async () => {
    showOutputOnFailure()
    const owner = await connect(dana)
    const conversationId = await newGroup(owner, [erin.userId], 'Frames')
    const listener = await connect(erin)
    const tabs = [owner, await connect(dana), await connect(dana)]
    // Three tabs posting back to back: a steady stream into one conversation.
    await Promise.all(
      tabs.map(async (tab, tabIndex) => {
        for (let index = 0; index < 20; index += 1) {
          await tab.call('messenger:post', {
            conversationId,
            body: `t${tabIndex} m${index}`,
            idempotencyKey: randomUUID(),
          })
        }
      }),
    )
    await waitUntil(() => messagesIn(listener, conversationId).length === 60, {
      description: 'all 60 messages delivered',
      timeoutMs: 10_000,
    })
    const seqs = messagesIn(listener, conversationId).map((message) => message.seq)
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, index) => index + 1))
    const frames = listener.received.filter(
      (item) => item.event === 'messenger:message' || item.event === 'messenger:messageBatch',
    )
    expect(frames.some((frame) => frame.event === 'messenger:messageBatch')).toBe(true)
    // One frame per 10 ms at most (with slack for delivery jitter), not one per message.
    const spanMs = frames.at(-1)!.at - frames[0]!.at
    expect(frames.length).toBeLessThan(60)
    expect(frames.length).toBeLessThanOrEqual(Math.floor(spanMs / 10) + 3)
    // A quiet conversation again: the next message leaves alone, without waiting for company.
    await new Promise((resolve) => setTimeout(resolve, 50))
    await owner.call('messenger:post', {
      conversationId,
      body: 'after a pause',
      idempotencyKey: randomUUID(),
    })
    const last = await listener.waitFor(
      'messenger:message',
      (payload) => payload.message.body === 'after a pause',
    )
    expect(last.message.seq).toBe(61)
  })

  it('writes a burst to three conversations in fewer transactions than posts, gap-free across two processes racing the same keys', async () => {
    const owner = await connect(dana)
    const conversationIds = [
      await newGroup(owner, [erin.userId, frank.userId], 'Burst 1'),
      await newGroup(owner, [erin.userId, frank.userId], 'Burst 2'),
      await newGroup(owner, [erin.userId, frank.userId], 'Burst 3'),
    ]
    // A second Database stands for a second web instance: its own batcher, the same row locks.
    const other = createDatabase({ url: stack.database.url, maxConnections: 4 })
    try {
      const keys = Array.from({ length: 30 }, () => randomUUID())
      const post = (db: typeof other, key: string, index: number) =>
        postConversationMessage({
          db,
          userId: [dana, erin, frank][Math.floor(index / 3) % 3]!.userId,
          conversationId: conversationIds[index % 3]!,
          body: `burst ${index}`,
          idempotencyKey: key,
        })
      const results = await Promise.all([
        ...keys.map((key, index) => post(stack.database.db, key, index)),
        // Every key again, through the other process: each must come back as the stored one.
        ...keys.map((key, index) => post(other, key, index)),
        // And twice in the same process's burst.
        ...keys.slice(0, 5).map((key, index) => post(stack.database.db, key, index)),
      ])
      const byKey = new Map<string, Set<string>>()
      for (const result of results) {
        const ids = byKey.get(result.message.idempotencyKey) ?? new Set()
        ids.add(result.message.id)
        byKey.set(result.message.idempotencyKey, ids)
      }
      for (const key of keys) expect(byKey.get(key)?.size).toBe(1)
      expect(results.filter((result) => result.isNew)).toHaveLength(30)
      // xmin is the inserting transaction: messages written together share it.
      const rows = await stack.database.db
        .selectFrom('message')
        .select(['conversationId', 'senderId', 'seq', sql<string>`xmin::text`.as('transaction')])
        .where('conversationId', 'in', conversationIds)
        .orderBy('seq')
        .execute()
      const transactions = new Map<string, Set<string>>()
      for (const row of rows) {
        const conversations = transactions.get(row.transaction) ?? new Set()
        conversations.add(row.conversationId)
        transactions.set(row.transaction, conversations)
      }
      expect(transactions.size).toBeLessThan(30)
      // One commit carried posts of several conversations.
      expect(Math.max(...[...transactions.values()].map((set) => set.size))).toBeGreaterThan(1)
      for (const conversationId of conversationIds) {
        const own = rows.filter((row) => row.conversationId === conversationId)
        expect(own.map((row) => Number(row.seq))).toEqual(
          Array.from({ length: 10 }, (_, index) => index + 1),
        )
        const conversation = await stack.database.db
          .selectFrom('conversation')
          .select('lastSeq')
          .where('id', '=', conversationId)
          .executeTakeFirstOrThrow()
        expect(Number(conversation.lastSeq)).toBe(10)
        // Each sender's own messages are read up to their last one.
        const markers = await stack.database.db
          .selectFrom('conversationMember')
          .select(['userId', 'lastReadSeq'])
          .where('conversationId', '=', conversationId)
          .execute()
        for (const marker of markers) {
          const seqs = own.filter((row) => row.senderId === marker.userId).map((row) => row.seq)
          expect(Number(marker.lastReadSeq)).toBe(Math.max(...seqs.map(Number)))
        }
      }
    } finally {
      await other.destroy()
    }
  })

  it('stops delivering to a removed member at once, on every instance, and resumes when added back', async () => {
    showOutputOnFailure()
    const a = await connect(dana)
    const conversationId = await newGroup(a, [erin.userId, frank.userId], 'Leaving')
    const bob2 = await connect(erin, secondUrl)
    const carolA = await connect(frank)
    const carolB = await connect(frank, secondUrl)
    const post = (body: string) =>
      a.call('messenger:post', { conversationId, body, idempotencyKey: randomUUID() })
    const before = await post('before')
    for (const client of [bob2, carolA, carolB]) {
      await client.waitFor('messenger:message', (p) => p.message.id === before.message.id)
    }
    // Removed through the second instance; dana posts through the first right after the ack.
    const b2 = await connect(erin, secondUrl)
    await a.call('messenger:setMemberRole', { conversationId, userId: erin.userId, role: 'admin' })
    await b2.call('messenger:removeMember', { conversationId, userId: frank.userId })
    await carolA.waitFor('messenger:removed', (p) => p.conversationId === conversationId)
    const after = await post('after')
    await bob2.waitFor('messenger:message', (p) => p.message.id === after.message.id)
    // The edit of an old message is not theirs to see either.
    await a.call('messenger:edit', { messageId: before.message.id, body: 'edited' })
    await bob2.waitFor('messenger:messageUpdated', (p) => p.message.id === before.message.id)
    // A fresh socket of the removed member does not join the room either.
    const carolC = await connect(frank)
    const later = await post('later')
    await bob2.waitFor('messenger:message', (p) => p.message.id === later.message.id)
    await new Promise((resolve) => setTimeout(resolve, 300))
    for (const client of [carolA, carolB, carolC]) {
      expect(messagesIn(client, conversationId).map((m) => m.body)).not.toContain('after')
      expect(messagesIn(client, conversationId).map((m) => m.body)).not.toContain('later')
      expect(
        client.received.filter(
          (item) =>
            item.event === 'messenger:messageUpdated' &&
            (item.payload as { message: MessengerMessage }).message.conversationId ===
              conversationId,
        ),
      ).toHaveLength(0)
    }
    // Added back: every tab, on both instances, receives again.
    await a.call('messenger:addMembers', { conversationId, userIds: [frank.userId] })
    const back = await post('back')
    for (const client of [carolA, carolB, carolC]) {
      await client.waitFor('messenger:message', (p) => p.message.id === back.message.id)
    }
  })
})
