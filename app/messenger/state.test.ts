import { describe, expect, it } from 'vitest'
import {
  conversationSummary as summary,
  messengerMessage as message,
  TEST_CONVERSATION_ID as CONVERSATION,
  TEST_OTHER_USER_ID as OTHER,
} from '#tests/fixtures/messenger-message.ts'
import {
  contiguousThrough,
  initialMessengerState,
  mergeMessages,
  messengerReducer,
  needsCatchUp,
  type MessengerAction,
  type MessengerState,
} from './state.ts'

const ME = 'me'

const run = (actions: MessengerAction[], from: MessengerState = initialMessengerState) =>
  actions.reduce(messengerReducer, from)

const seqs = (state: MessengerState) => state.threads[CONVERSATION]?.messages.map((m) => m.seq)

describe('mergeMessages', () => {
  it('keeps one copy per id, ordered by seq, whatever the arrival order', () => {
    const merged = mergeMessages(
      [message(3), message(1)].sort((a, b) => a.seq - b.seq),
      [message(2), message(3), message(1), message(5)],
    )
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 5])
  })

  it('keeps the later edit and never un-deletes', () => {
    const edited = message(1, { body: 'new', editedAt: '2026-01-02T00:00:00.000Z' })
    const stale = message(1, { body: 'old', editedAt: '2026-01-01T12:00:00.000Z' })
    expect(mergeMessages([edited], [stale])[0]?.body).toBe('new')
    const deleted = message(1, { body: '', deletedAt: '2026-01-03T00:00:00.000Z' })
    expect(mergeMessages([deleted], [edited])[0]?.deletedAt).not.toBeNull()
    expect(mergeMessages([edited], [deleted])[0]?.body).toBe('')
  })
})

describe('contiguousThrough', () => {
  it('stops at the first hole', () => {
    expect(contiguousThrough([message(1), message(2), message(4)], 0)).toBe(2)
    expect(contiguousThrough([message(1), message(2), message(4)], 3)).toBe(4)
  })
})

describe('messengerReducer', () => {
  const loaded = run([
    { type: 'listed', conversations: [summary({ lastSeq: 3, lastReadSeq: 3 })] },
    {
      type: 'page',
      conversationId: CONVERSATION,
      messages: [message(1), message(2), message(3)],
      hasMore: false,
    },
  ])

  it('a newest page is complete through its last message', () => {
    expect(seqs(loaded)).toEqual([1, 2, 3])
    expect(loaded.threads[CONVERSATION]?.syncedSeq).toBe(3)
    expect(needsCatchUp(loaded.threads[CONVERSATION])).toBe(false)
  })

  it('a live message after a gap asks for catch-up, and the catch-up page closes it', () => {
    const live = (seq: number): MessengerAction => ({
      type: 'received',
      message: message(seq),
      myUserId: ME,
      isViewing: false,
    })
    const withGap = run([live(6)], loaded)
    expect(seqs(withGap)).toEqual([1, 2, 3, 6])
    expect(withGap.threads[CONVERSATION]?.syncedSeq).toBe(3)
    expect(needsCatchUp(withGap.threads[CONVERSATION])).toBe(true)

    // The catch-up overlaps what is already there (6) and is delivered twice: no duplicates.
    const page: MessengerAction = {
      type: 'page',
      conversationId: CONVERSATION,
      afterSeq: 3,
      messages: [message(4), message(5), message(6)],
      hasMore: false,
    }
    const recovered = run([page, page, live(6), live(7)], withGap)
    expect(seqs(recovered)).toEqual([1, 2, 3, 4, 5, 6, 7])
    expect(recovered.threads[CONVERSATION]?.syncedSeq).toBe(7)
    expect(needsCatchUp(recovered.threads[CONVERSATION])).toBe(false)
    // Unread counts each new message once: 6 (live), 4 and 5 came by page (the list refresh
    // brings the server's count), the duplicate 6 is not counted again, 7 is.
    expect(recovered.conversations[CONVERSATION]?.unreadCount).toBe(2)
    expect(recovered.conversations[CONVERSATION]?.lastSeq).toBe(7)
  })

  it('catch-up in pages: hasMore continues from the page end', () => {
    const first = run(
      [
        {
          type: 'page',
          conversationId: CONVERSATION,
          afterSeq: 3,
          messages: [message(4), message(5)],
          hasMore: true,
        },
      ],
      loaded,
    )
    expect(first.threads[CONVERSATION]?.syncedSeq).toBe(5)
    // A seq the server never had (a hole) does not make the client ask forever.
    const second = run(
      [
        {
          type: 'page',
          conversationId: CONVERSATION,
          afterSeq: 5,
          messages: [message(7)],
          hasMore: false,
        },
      ],
      first,
    )
    expect(seqs(second)).toEqual([1, 2, 3, 4, 5, 7])
    expect(second.threads[CONVERSATION]?.syncedSeq).toBe(7)
    expect(needsCatchUp(second.threads[CONVERSATION])).toBe(false)
  })

  it('older pages merge in front without touching the sync point', () => {
    const recent = run([
      { type: 'listed', conversations: [summary({ lastSeq: 60 })] },
      {
        type: 'page',
        conversationId: CONVERSATION,
        messages: Array.from({ length: 10 }, (_, i) => message(51 + i)),
        hasMore: true,
      },
    ])
    expect(recent.threads[CONVERSATION]?.hasOlder).toBe(true)
    const older = run(
      [
        {
          type: 'page',
          conversationId: CONVERSATION,
          beforeSeq: 51,
          messages: Array.from({ length: 50 }, (_, i) => message(1 + i)),
          hasMore: false,
        },
      ],
      recent,
    )
    expect(seqs(older)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
    expect(older.threads[CONVERSATION]?.hasOlder).toBe(false)
    expect(older.threads[CONVERSATION]?.syncedSeq).toBe(60)
  })

  it('the ack replaces the pending bubble; a live copy before the ack does too, once', () => {
    const key = '11111111-1111-4111-8111-111111111111'
    const queued = run(
      [
        {
          type: 'queued',
          pending: {
            idempotencyKey: key,
            conversationId: CONVERSATION,
            body: 'hi',
            attachmentNames: [],
            createdAt: '2026-01-01T00:00:00.000Z',
            status: 'pending',
          },
        },
      ],
      loaded,
    )
    expect(queued.pending).toHaveLength(1)
    const mine = message(4, { sender: { id: ME, name: 'Me' }, idempotencyKey: key, body: 'hi' })
    const delivered = run(
      [
        { type: 'received', message: mine, myUserId: ME, isViewing: false },
        { type: 'received', message: mine, myUserId: ME, isViewing: false },
      ],
      queued,
    )
    expect(delivered.pending).toEqual([])
    expect(seqs(delivered)).toEqual([1, 2, 3, 4])
    // My own message is read by me and does not count as unread.
    expect(delivered.conversations[CONVERSATION]?.unreadCount).toBe(0)
    expect(delivered.conversations[CONVERSATION]?.lastReadSeq).toBe(4)
  })

  it('a refused send stays visible as failed, and a retry keeps its key', () => {
    const key = '22222222-2222-4222-8222-222222222222'
    const state = run([
      {
        type: 'queued',
        pending: {
          idempotencyKey: key,
          conversationId: CONVERSATION,
          body: 'x',
          attachmentNames: [],
          createdAt: '2026-01-01T00:00:00.000Z',
          status: 'pending',
        },
      },
      { type: 'failed', idempotencyKey: key, error: 'Too fast' },
    ])
    expect(state.pending[0]).toMatchObject({ status: 'failed', error: 'Too fast' })
    const retried = messengerReducer(state, { type: 'retrying', idempotencyKey: key })
    expect(retried.pending[0]).toMatchObject({ idempotencyKey: key, status: 'pending' })
  })

  it('read markers from another tab clear unread; other members move their marker', () => {
    const unread = run([
      { type: 'listed', conversations: [summary({ lastSeq: 5, unreadCount: 3, lastReadSeq: 2 })] },
      {
        type: 'opened',
        conversation: summary({ lastSeq: 5, unreadCount: 3, lastReadSeq: 2 }),
        members: [
          { userId: ME, name: 'Me', email: 'me@x', role: 'member', lastReadSeq: 2 },
          { userId: OTHER, name: 'O', email: 'o@x', role: 'member', lastReadSeq: 1 },
        ],
        pinned: [],
      },
    ])
    const read = run(
      [
        { type: 'read', conversationId: CONVERSATION, userId: ME, seq: 4, myUserId: ME },
        { type: 'read', conversationId: CONVERSATION, userId: OTHER, seq: 5, myUserId: ME },
        // An older marker arriving late changes nothing.
        { type: 'read', conversationId: CONVERSATION, userId: OTHER, seq: 3, myUserId: ME },
      ],
      unread,
    )
    expect(read.conversations[CONVERSATION]).toMatchObject({ lastReadSeq: 4, unreadCount: 1 })
    expect(read.threads[CONVERSATION]?.members.find((m) => m.userId === OTHER)?.lastReadSeq).toBe(5)
  })

  it('edits, deletions and pins update the loaded copy and the pinned bar', () => {
    const pinned = messengerReducer(loaded, {
      type: 'updated',
      message: message(2, { isPinned: true, editedAt: '2026-02-01T00:00:00.000Z', body: 'edited' }),
    })
    expect(pinned.threads[CONVERSATION]?.messages[1]?.body).toBe('edited')
    expect(pinned.threads[CONVERSATION]?.pinned.map((m) => m.seq)).toEqual([2])
    const deleted = messengerReducer(pinned, {
      type: 'updated',
      message: message(3, { deletedAt: '2026-02-02T00:00:00.000Z', body: '' }),
    })
    expect(deleted.threads[CONVERSATION]?.messages[2]?.deletedAt).not.toBeNull()
    // An update for a message that is not loaded does not appear out of nowhere.
    const unknown = messengerReducer(loaded, { type: 'updated', message: message(99) })
    expect(seqs(unknown)).toEqual([1, 2, 3])
  })
})
