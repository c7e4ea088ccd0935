import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  MEETING_ACTIONS,
  MEETING_ROLES,
  PERMISSIONS,
  RULE_LABELS,
  canDo,
  canModerate,
} from './permissions.ts'

const doc = readFileSync(new URL('../docs/meeting-roles.md', import.meta.url), 'utf8')

/** The rows between the table markers of docs/meeting-roles.md, as trimmed cells. */
function docTable(): string[][] {
  const start = doc.indexOf('<!-- permissions-table:start -->')
  const end = doc.indexOf('<!-- permissions-table:end -->')
  expect(start, 'table start marker').toBeGreaterThan(-1)
  expect(end, 'table end marker').toBeGreaterThan(start)
  return doc
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) =>
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    )
}

describe('the permission table', () => {
  it('in docs/meeting-roles.md is the one in the code, row for row', () => {
    const [header, separator, ...rows] = docTable()
    expect(header).toEqual(['action', ...MEETING_ROLES])
    expect(separator!.every((cell) => /^-+$/.test(cell))).toBe(true)
    const expected = MEETING_ACTIONS.map((action) => [
      `\`${action}\``,
      ...MEETING_ROLES.map((role) => RULE_LABELS[PERMISSIONS[action][role]]),
    ])
    expect(rows).toEqual(expected)
  })

  it('follows the settings for conditional cells and denies them without settings', () => {
    const open = {
      screenSharePolicy: 'everyone',
      isChatEnabled: true,
      allowSelfUnmute: true,
    } as const
    const strict = {
      screenSharePolicy: 'presenters',
      isChatEnabled: false,
      allowSelfUnmute: false,
    } as const
    expect(canDo('guest', 'screen.share', open)).toBe(true)
    expect(canDo('guest', 'screen.share', strict)).toBe(false)
    expect(canDo('presenter', 'screen.share', strict)).toBe(true)
    expect(canDo('participant', 'chat.send', open)).toBe(true)
    expect(canDo('participant', 'chat.send', strict)).toBe(false)
    expect(canDo('cohost', 'chat.send', strict)).toBe(true)
    expect(canDo('participant', 'audio.unmuteAfterModeratorMute', strict)).toBe(false)
    expect(canDo('participant', 'audio.unmuteAfterModeratorMute', open)).toBe(true)
    expect(canDo('participant', 'audio.unmuteAfterModeratorMute')).toBe(false)
    expect(canDo('organizer', 'audio.unmuteAfterModeratorMute', strict)).toBe(true)
  })

  it('only the organizer changes roles; moderation never reaches the organizer', () => {
    expect(MEETING_ROLES.filter((role) => canDo(role, 'meeting.setRole'))).toEqual(['organizer'])
    for (const actor of MEETING_ROLES) expect(canModerate(actor, 'organizer')).toBe(false)
    expect(canModerate('cohost', 'cohost')).toBe(false)
    expect(canModerate('organizer', 'cohost')).toBe(true)
    expect(canModerate('cohost', 'guest')).toBe(true)
    expect(canModerate('presenter', 'guest')).toBe(false)
  })

  it('denies unknown roles and actions (a bad database value or a typo is not a grant)', () => {
    expect(canDo('admin' as never, 'meeting.end')).toBe(false)
    expect(canDo('organizer', 'meeting.destroy' as never)).toBe(false)
  })
})
