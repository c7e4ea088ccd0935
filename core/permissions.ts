// Who may do what in a meeting: the one role × action table (docs/meeting-roles.md shows the same
// table; core/permissions.test.ts fails when they differ). The server asks canDo with the role and
// settings it read from the database for every action; clients use it only to hide buttons.
import type { MeetingRole } from './db/types.ts'
import type { MeetingSettings } from './protocol/meeting-control.ts'

export const MEETING_ROLES = [
  'organizer',
  'cohost',
  'presenter',
  'participant',
  'guest',
] as const satisfies readonly MeetingRole[]

export const MEETING_ACTIONS = [
  'meeting.updateSettings',
  'meeting.setRole',
  'meeting.end',
  'lobby.admit',
  'lobby.deny',
  'lobby.admitAll',
  'participant.mute',
  'participant.muteAll',
  'participant.stopCamera',
  'participant.stopScreen',
  'participant.remove',
  'hand.lowerOthers',
  'hand.lowerAll',
  'hand.raise',
  'hand.lowerOwn',
  'reaction.send',
  'screen.share',
  'chat.send',
  'audio.unmuteAfterModeratorMute',
] as const
export type MeetingAction = (typeof MEETING_ACTIONS)[number]

/**
 * A cell of the table: always, never, or only while a meeting setting says so. Conditional cells
 * are denied when the caller passes no settings.
 */
export type PermissionRule = 'yes' | 'no' | 'if-share-everyone' | 'if-chat-on' | 'if-self-unmute'

/** How each rule reads in docs/meeting-roles.md. */
export const RULE_LABELS: Record<PermissionRule, string> = {
  yes: '✓',
  no: '',
  'if-share-everyone': "if policy is 'everyone'",
  'if-chat-on': 'if chat is on',
  'if-self-unmute': 'if self-unmute is allowed',
}

const MODERATORS_ONLY = {
  organizer: 'yes',
  cohost: 'yes',
  presenter: 'no',
  participant: 'no',
  guest: 'no',
} as const
const EVERYONE = {
  organizer: 'yes',
  cohost: 'yes',
  presenter: 'yes',
  participant: 'yes',
  guest: 'yes',
} as const

export const PERMISSIONS: Record<MeetingAction, Record<MeetingRole, PermissionRule>> = {
  'meeting.updateSettings': MODERATORS_ONLY,
  'meeting.setRole': {
    organizer: 'yes',
    cohost: 'no',
    presenter: 'no',
    participant: 'no',
    guest: 'no',
  },
  'meeting.end': MODERATORS_ONLY,
  'lobby.admit': MODERATORS_ONLY,
  'lobby.deny': MODERATORS_ONLY,
  'lobby.admitAll': MODERATORS_ONLY,
  'participant.mute': MODERATORS_ONLY,
  'participant.muteAll': MODERATORS_ONLY,
  'participant.stopCamera': MODERATORS_ONLY,
  'participant.stopScreen': MODERATORS_ONLY,
  'participant.remove': MODERATORS_ONLY,
  'hand.lowerOthers': MODERATORS_ONLY,
  'hand.lowerAll': MODERATORS_ONLY,
  'hand.raise': EVERYONE,
  'hand.lowerOwn': EVERYONE,
  'reaction.send': EVERYONE,
  'screen.share': {
    organizer: 'yes',
    cohost: 'yes',
    presenter: 'yes',
    participant: 'if-share-everyone',
    guest: 'if-share-everyone',
  },
  'chat.send': {
    organizer: 'yes',
    cohost: 'yes',
    presenter: 'if-chat-on',
    participant: 'if-chat-on',
    guest: 'if-chat-on',
  },
  'audio.unmuteAfterModeratorMute': {
    organizer: 'yes',
    cohost: 'yes',
    presenter: 'if-self-unmute',
    participant: 'if-self-unmute',
    guest: 'if-self-unmute',
  },
}

export type PermissionSettings = Pick<
  MeetingSettings,
  'screenSharePolicy' | 'isChatEnabled' | 'allowSelfUnmute'
>

export function canDo(
  role: MeetingRole,
  action: MeetingAction,
  settings?: PermissionSettings,
): boolean {
  const rule = PERMISSIONS[action]?.[role]
  switch (rule) {
    case 'yes':
      return true
    case 'if-share-everyone':
      return settings?.screenSharePolicy === 'everyone'
    case 'if-chat-on':
      return settings?.isChatEnabled === true
    case 'if-self-unmute':
      return settings?.allowSelfUnmute === true
    default:
      return false
  }
}

export const isModeratorRole = (role: MeetingRole): boolean => canDo(role, 'lobby.admit')

/**
 * Whether an actor's moderation (mute, camera/screen stop, removal, role change) may reach this
 * target: never the organizer, and a co-host only by the organizer. Hands are not moderation.
 */
export function canModerate(actorRole: MeetingRole, targetRole: MeetingRole): boolean {
  if (targetRole === 'organizer') return false
  if (targetRole === 'cohost') return actorRole === 'organizer'
  return isModeratorRole(actorRole)
}
