import { describe, expect, it } from 'vitest'
import { messengerMessage } from '#tests/fixtures/messenger-message.ts'
import { groupMessages } from './grouping.ts'

const at = (seq: number, sender: string, createdAt: string) =>
  messengerMessage(seq, { sender: { id: sender, name: sender.toUpperCase() }, createdAt })

describe('groupMessages', () => {
  it('splits by day in the viewer time zone and by author runs', () => {
    const days = groupMessages(
      [
        at(1, 'a', '2026-01-01T20:00:00Z'),
        at(2, 'a', '2026-01-01T20:01:00Z'),
        at(3, 'b', '2026-01-01T20:02:00Z'),
        // 00:30 in Moscow is already the next day there.
        at(4, 'b', '2026-01-01T21:30:00Z'),
        at(5, 'b', '2026-01-01T21:50:00Z'),
      ],
      'Europe/Moscow',
    )
    expect(days.map((day) => day.dayKey)).toEqual(['2026-01-01', '2026-01-02'])
    expect(days[0]?.runs.map((run) => run.messages.map((m) => m.seq))).toEqual([[1, 2], [3]])
    // A pause of 20 minutes starts a new run.
    expect(days[1]?.runs.map((run) => run.messages.map((m) => m.seq))).toEqual([[4], [5]])
  })

  it('starts a run at the first unread message', () => {
    const days = groupMessages(
      [
        at(1, 'a', '2026-01-01T10:00:00Z'),
        at(2, 'a', '2026-01-01T10:01:00Z'),
        at(3, 'a', '2026-01-01T10:02:00Z'),
      ],
      'UTC',
      2,
    )
    expect(days[0]?.runs.map((run) => run.messages.map((m) => m.seq))).toEqual([[1], [2, 3]])
  })
})
