// Kysely's view of the schema; keep in step with migrations/.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

type Timestamp = ColumnType<Date, Date | string, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type UserTable = {
  id: string
  name: string
  email: string
  emailVerified: boolean
  image: string | null
  isAnonymous: boolean | null
  locale: ColumnType<'ru' | 'en', 'ru' | 'en' | undefined, 'ru' | 'en'>
  /** Privacy/cookie choices; parse with parsePrivacySettings (core/privacy.ts). Written as JSON text. */
  privacy: ColumnType<Record<string, unknown>, string | undefined, string>
  createdAt: CreatedAt
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

export type SessionTable = {
  id: string
  expiresAt: Timestamp
  token: string
  ipAddress: string | null
  userAgent: string | null
  userId: string
  activeOrganizationId: string | null
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export type AccountTable = {
  id: string
  accountId: string
  providerId: string
  userId: string
  accessToken: string | null
  refreshToken: string | null
  idToken: string | null
  accessTokenExpiresAt: Timestamp | null
  refreshTokenExpiresAt: Timestamp | null
  scope: string | null
  password: string | null
  createdAt: CreatedAt
  updatedAt: Timestamp
}

export type VerificationTable = {
  id: string
  identifier: string
  value: string
  expiresAt: Timestamp
  createdAt: CreatedAt
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

export type OrganizationTable = {
  id: string
  name: string
  slug: string
  logo: string | null
  /** JSON text owned by better-auth; we keep branding in it (see core/branding.ts). */
  metadata: string | null
  createdAt: Timestamp
}

export type OrgRole = 'owner' | 'admin' | 'member'

export type MemberTable = {
  id: string
  organizationId: string
  userId: string
  role: OrgRole
  createdAt: Timestamp
}

export type InvitationTable = {
  id: string
  organizationId: string
  email: string
  role: OrgRole | null
  status: 'pending' | 'accepted' | 'rejected' | 'canceled'
  expiresAt: Timestamp
  inviterId: string
  createdAt: CreatedAt
}

export type MeetingKind = 'meeting' | 'webinar'
export type MeetingAccess = 'closed' | 'open'
export type MeetingStatus = 'scheduled' | 'live' | 'ended' | 'cancelled'
export type ScreenSharePolicy = 'everyone' | 'presenters'

export type MeetingTable = {
  id: Generated<string>
  inviteCode: string
  title: string
  organizationId: string
  organizerId: string
  kind: ColumnType<MeetingKind, MeetingKind | undefined, MeetingKind>
  isInstant: ColumnType<boolean, boolean | undefined, boolean>
  scheduledStart: Timestamp | null
  scheduledEnd: Timestamp | null
  timeZone: string | null
  access: ColumnType<MeetingAccess, MeetingAccess | undefined, MeetingAccess>
  lobbyEnabled: ColumnType<boolean, boolean | undefined, boolean>
  /** Nobody new gets in; people with a participant row still can (issue 4). */
  isLocked: ColumnType<boolean, boolean | undefined, boolean>
  screenSharePolicy: ColumnType<ScreenSharePolicy, ScreenSharePolicy | undefined, ScreenSharePolicy>
  /** May people unmute themselves after a moderator muted them (core/permissions.ts). */
  allowSelfUnmute: ColumnType<boolean, boolean | undefined, boolean>
  isChatEnabled: ColumnType<boolean, boolean | undefined, boolean>
  status: ColumnType<MeetingStatus, MeetingStatus | undefined, MeetingStatus>
  startedAt: Timestamp | null
  endedAt: Timestamp | null
  createdAt: CreatedAt
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
}

export type MeetingRole = 'organizer' | 'cohost' | 'presenter' | 'participant' | 'guest'
export type ParticipantStatus = 'invited' | 'lobby' | 'admitted' | 'denied' | 'removed'

export type MeetingParticipantTable = {
  id: Generated<string>
  meetingId: string
  userId: string
  displayName: string
  role: MeetingRole
  status: ParticipantStatus
  joinedAt: Timestamp | null
  leftAt: Timestamp | null
  /** When the hand went up; null when it is down. The queue is ordered by it. */
  handRaisedAt: Timestamp | null
  /** Muted by a moderator: unmuting the microphone needs permission (core/permissions.ts). */
  isForceMuted: ColumnType<boolean, boolean | undefined, boolean>
  createdAt: CreatedAt
}

/** One media session of a participant: media:join until leave, disconnect or the meeting's end. */
export type MeetingAttendanceTable = {
  id: Generated<string>
  meetingId: string
  userId: string
  peerId: string
  role: MeetingRole
  joinedAt: ColumnType<Date, Date | string | undefined, Date | string>
  leftAt: Timestamp | null
}

export type AuditLogTable = {
  id: Generated<string>
  actorId: string | null
  organizationId: string | null
  action: string
  targetType: string
  targetId: string
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>
  ip: string | null
  createdAt: CreatedAt
}

export type ConversationKind = 'meeting' | 'direct' | 'group' | 'channel'

/** A chat: a meeting's (meetingId set) or, later, a messenger conversation. */
export type ConversationTable = {
  id: Generated<string>
  organizationId: string
  kind: ConversationKind
  meetingId: string | null
  title: string | null
  /** seq of the newest message; bumped in the transaction that inserts it. */
  lastSeq: ColumnType<number, number | undefined, number>
  createdAt: CreatedAt
  updatedAt: ColumnType<Date, Date | string | undefined, Date | string>
  description: ColumnType<string, string | undefined, string>
  /** Channels only: listed in the organization's directory, anyone in it may join. */
  isPublic: ColumnType<boolean, boolean | undefined, boolean>
  createdById: string | null
  /** Direct chats: 'userA:userB' with the ids sorted (unique per organization). */
  directKey: string | null
}

export type ConversationMemberTable = {
  conversationId: string
  userId: string
  role: ColumnType<'admin' | 'member', 'admin' | 'member' | undefined, 'admin' | 'member'>
  lastReadSeq: ColumnType<number, number | undefined, number>
  joinedAt: CreatedAt
}

export type MessageTable = {
  id: Generated<string>
  conversationId: string
  seq: number
  senderId: string
  body: string
  idempotencyKey: string
  createdAt: CreatedAt
  editedAt: Timestamp | null
  deletedAt: Timestamp | null
  replyToId: string | null
  forwardedFromId: string | null
  forwardedConversationTitle: string | null
  forwardedSenderName: string | null
  forwardedCreatedAt: Timestamp | null
  mentions: ColumnType<string[], string[] | undefined, string[]>
  pinnedAt: Timestamp | null
  pinnedById: string | null
  /** Generated from body (russian || english); never written. */
  searchVector: ColumnType<string, never, never>
}

export type MessageReactionTable = {
  messageId: string
  userId: string
  emoji: string
  createdAt: CreatedAt
}

/** An uploaded file (server/storage/); readable by its uploader and members of conversations it was posted to. */
export type AttachmentTable = {
  id: Generated<string>
  organizationId: string | null
  uploaderId: string
  name: string
  size: ColumnType<number, number, number>
  /** Detected from the content. */
  mime: string
  isImage: ColumnType<boolean, boolean | undefined, boolean>
  /** Served inline (safe raster images); everything else as a download. */
  isInline: ColumnType<boolean, boolean | undefined, boolean>
  width: number | null
  height: number | null
  storageKey: string
  thumbnailKey: string | null
  createdAt: CreatedAt
}

export type MessageAttachmentTable = {
  messageId: string
  attachmentId: string
  position: ColumnType<number, number | undefined, number>
}

export type DB = {
  user: UserTable
  session: SessionTable
  account: AccountTable
  verification: VerificationTable
  organization: OrganizationTable
  member: MemberTable
  invitation: InvitationTable
  meeting: MeetingTable
  meetingParticipant: MeetingParticipantTable
  meetingAttendance: MeetingAttendanceTable
  auditLog: AuditLogTable
  conversation: ConversationTable
  conversationMember: ConversationMemberTable
  message: MessageTable
  messageReaction: MessageReactionTable
  attachment: AttachmentTable
  messageAttachment: MessageAttachmentTable
}

export type Meeting = Selectable<MeetingTable>
export type NewMeeting = Insertable<MeetingTable>
export type MeetingUpdate = Updateable<MeetingTable>
export type MeetingParticipant = Selectable<MeetingParticipantTable>
export type MeetingAttendance = Selectable<MeetingAttendanceTable>
export type User = Selectable<UserTable>
export type Organization = Selectable<OrganizationTable>
export type Conversation = Selectable<ConversationTable>
export type Message = Selectable<MessageTable>
export type Attachment = Selectable<AttachmentTable>
