import { describe, expect, it } from 'vitest'
import type { ChatMessage } from '#core/protocol/chat.ts'
import { chatReducer, createInitialChatState, type MeetingChatState } from './meeting-chat.ts'

const me = 'user-me'
const message = (seq: number, senderId = 'user-other', key = `key-${seq}`): ChatMessage => ({
  id: `id-${seq}`,
  seq,
  senderId,
  senderName: senderId === me ? 'Me' : 'Other',
  body: `message ${seq}`,
  createdAt: new Date(2026, 0, 1, 10, seq).toISOString(),
  idempotencyKey: key,
})

const apply = (state: MeetingChatState, ...actions: Parameters<typeof chatReducer>[1][]) =>
  actions.reduce(chatReducer, state)

describe('chatReducer', () => {
  it('keeps each message once, in seq order, whatever way and order it arrives', () => {
    const state = apply(
      createInitialChatState(),
      { type: 'received', messages: [message(3)], via: 'datachannel', myUserId: me },
      { type: 'received', messages: [message(1), message(2)], via: 'history', myUserId: me },
      { type: 'received', messages: [message(3), message(2)], via: 'socket', myUserId: me },
    )
    expect(state.messages.map((m) => [m.seq, m.via])).toEqual([
      [1, 'history'],
      [2, 'history'],
      [3, 'datachannel'],
    ])
  })

  it('replaces my pending message by the stored one with the same key', () => {
    const pending = {
      idempotencyKey: 'mine-1',
      body: 'hi',
      createdAt: new Date().toISOString(),
      status: 'sending' as const,
      error: null,
    }
    let state = apply(createInitialChatState(), { type: 'queued', message: pending })
    expect(state.pending).toHaveLength(1)
    state = apply(state, {
      type: 'received',
      messages: [message(1, me, 'mine-1')],
      via: 'datachannel',
      myUserId: me,
    })
    expect(state.pending).toEqual([])
    expect(state.messages).toHaveLength(1)
  })

  it('marks a refused message failed and back to sending on retry', () => {
    const pending = {
      idempotencyKey: 'k',
      body: 'spam',
      createdAt: new Date().toISOString(),
      status: 'sending' as const,
      error: null,
    }
    let state = apply(
      createInitialChatState(),
      { type: 'queued', message: pending },
      { type: 'failed', idempotencyKey: 'k', error: 'too fast' },
    )
    expect(state.pending[0]).toMatchObject({ status: 'failed', error: 'too fast' })
    state = apply(state, { type: 'retrying', idempotencyKey: 'k' })
    expect(state.pending[0]).toMatchObject({ status: 'sending', error: null })
  })

  it("counts others' live messages as unread only while the panel is closed", () => {
    let state = apply(
      createInitialChatState(),
      { type: 'received', messages: [message(1)], via: 'history', myUserId: me },
      { type: 'received', messages: [message(2), message(3, me)], via: 'socket', myUserId: me },
    )
    expect(state.unread).toBe(1)
    state = apply(state, { type: 'open', isOpen: true })
    expect(state.unread).toBe(0)
    state = apply(state, {
      type: 'received',
      messages: [message(4)],
      via: 'datachannel',
      myUserId: me,
    })
    expect(state.unread).toBe(0)
  })
})
