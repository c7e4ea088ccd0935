// Meeting control over socket.io (issue 4): settings, roles, lobby, moderation, raised hands and
// reactions. One zod schema per client event (spread into ClientEventSchemas in signaling.ts), the
// shapes of their answers and of the server events. Who may do what is core/permissions.ts; the
// server decides it from the database, never from a payload.
import { z } from 'zod'
import type { MeetingRole, ScreenSharePolicy } from '../db/types.ts'

export type MeetingSettings = {
  isLocked: boolean
  lobbyEnabled: boolean
  screenSharePolicy: ScreenSharePolicy
  allowSelfUnmute: boolean
  isChatEnabled: boolean
}

/** An admitted participant as the participants panel shows them. */
export type ControlParticipant = {
  userId: string
  displayName: string
  role: MeetingRole
  /** ISO time the hand went up; null when it is down. */
  handRaisedAt: string | null
  isForceMuted: boolean
}

export type LobbyEntry = {
  userId: string
  displayName: string
  isGuest: boolean
  /** ISO time they reached the lobby. */
  waitingSince: string
}

export const REACTION_EMOJIS = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const
export const ReactionEmojiSchema = z.enum(REACTION_EMOJIS)
export type ReactionEmoji = z.infer<typeof ReactionEmojiSchema>

export const ScreenSharePolicySchema = z.enum(['everyone', 'presenters'])

/** Roles the organizer can give; nobody becomes (or stops being) the organizer. */
export const AssignableRoleSchema = z.enum(['cohost', 'presenter', 'participant', 'guest'])
export type AssignableRole = z.infer<typeof AssignableRoleSchema>

/** better-auth user ids (random strings, uuids for some) — only ever looked up, never trusted. */
export const UserIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/)

const Target = z.object({ userId: UserIdSchema })
const Empty = z.object({})

export const MeetingSettingsPatchSchema = z
  .object({
    isLocked: z.boolean().optional(),
    lobbyEnabled: z.boolean().optional(),
    screenSharePolicy: ScreenSharePolicySchema.optional(),
    allowSelfUnmute: z.boolean().optional(),
    isChatEnabled: z.boolean().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'Change at least one setting',
  })
export type MeetingSettingsPatch = z.output<typeof MeetingSettingsPatchSchema>

export const MeetingControlEventSchemas = {
  'meeting:state': Empty,
  'meeting:updateSettings': MeetingSettingsPatchSchema,
  'meeting:setRole': z.object({ userId: UserIdSchema, role: AssignableRoleSchema }),
  'moderation:mute': Target,
  'moderation:muteAll': Empty,
  'moderation:stopCamera': Target,
  'moderation:stopScreen': Target,
  'moderation:remove': Target,
  'lobby:admit': Target,
  'lobby:deny': Target,
  'lobby:admitAll': Empty,
  'hand:raise': Empty,
  /** Without a userId: my own hand. */
  'hand:lower': z.object({ userId: UserIdSchema.optional() }),
  'hand:lowerAll': Empty,
  'reaction:send': z.object({ emoji: ReactionEmojiSchema }),
} as const

type Done = Record<string, never>

export type MeetingControlEventResults = {
  'meeting:state': {
    settings: MeetingSettings
    /** Admitted participants, in the order they were added. */
    participants: ControlParticipant[]
    /** Who waits in the lobby, longest first; empty unless I am a moderator. */
    lobby: LobbyEntry[]
    myRole: MeetingRole
  }
  'meeting:updateSettings': { settings: MeetingSettings }
  'meeting:setRole': Done
  'moderation:mute': Done
  'moderation:muteAll': Done
  'moderation:stopCamera': Done
  'moderation:stopScreen': Done
  'moderation:remove': Done
  'lobby:admit': Done
  'lobby:deny': Done
  'lobby:admitAll': Done
  'hand:raise': Done
  'hand:lower': Done
  'hand:lowerAll': Done
  'reaction:send': Done
}

export type ParticipantStatusChange = 'admitted' | 'denied' | 'removed'
export type ModerationKind = 'mute' | 'stopCamera' | 'stopScreen' | 'remove' | 'lowerHand'

export type MeetingControlServerEvents = {
  /** To the meeting room: the settings after a change. */
  'meeting:settings': { settings: MeetingSettings }
  /** To the meeting room: a participant's role, hand or moderator mute changed (or they were admitted). */
  'meeting:participant': { participant: ControlParticipant }
  /** To the meeting's moderators: the whole lobby after any change. */
  'lobby:changed': { lobby: LobbyEntry[] }
  /** To the affected user's sockets on every instance (a lobby page needs no media:join to hear it). */
  'participant:status': { inviteCode: string; status: ParticipantStatusChange }
  /** To the affected user: what a moderator did to them. */
  'moderation:applied': { action: ModerationKind; byName: string }
  /** To the meeting room, the sender included. */
  'meeting:reaction': { peerId: string; userId: string; emoji: ReactionEmoji }
}
