// Meeting control (issue 4): settings, roles, lobby, moderation and raised hands, as database work.
// Every function authorizes from the actor's current participant row and the meeting's current
// settings (core/permissions.ts), never from what a client says about itself; a person named by
// the actor who is not in this meeting is NOT_FOUND. Moderator actions write one audit row each.
// What happens on the media server and who is told is the caller's part (server/socket/handlers).
import type { Updateable } from 'kysely'
import type { Database } from '#core/db/client.ts'
import type {
  Meeting,
  MeetingParticipant,
  MeetingParticipantTable,
  MeetingRole,
  ParticipantStatus,
} from '#core/db/types.ts'
import { AppError } from '#core/errors.ts'
import { canDo, canModerate, type MeetingAction } from '#core/permissions.ts'
import type {
  AssignableRole,
  ControlParticipant,
  LobbyEntry,
  MeetingSettings,
  MeetingSettingsPatch,
} from '#core/protocol/meeting-control.ts'
import { writeAudit } from './audit.ts'

const NOT_FOUND_MESSAGE = 'Participant not found'

/** Why an action was refused, in words a person understands. */
const FORBIDDEN_MESSAGES: Partial<Record<MeetingAction, string>> = {
  'meeting.updateSettings': 'Only the organizer or a co-host can change the meeting settings',
  'meeting.setRole': 'Only the organizer can change roles',
  'meeting.end': 'Only the organizer or a co-host can end the meeting',
  'screen.share': 'Only presenters and moderators may share their screen in this meeting',
  'audio.unmuteAfterModeratorMute':
    'A moderator muted you; you cannot unmute yourself in this meeting',
  'chat.send': 'Chat is turned off in this meeting',
}
const forbiddenMessage = (action: MeetingAction) =>
  FORBIDDEN_MESSAGES[action] ?? 'Only the organizer or a co-host can do that'

export function settingsOf(
  meeting: Pick<
    Meeting,
    'isLocked' | 'lobbyEnabled' | 'screenSharePolicy' | 'allowSelfUnmute' | 'isChatEnabled'
  >,
): MeetingSettings {
  return {
    isLocked: meeting.isLocked,
    lobbyEnabled: meeting.lobbyEnabled,
    screenSharePolicy: meeting.screenSharePolicy,
    allowSelfUnmute: meeting.allowSelfUnmute,
    isChatEnabled: meeting.isChatEnabled,
  }
}

export function toControlParticipant(
  row: Pick<
    MeetingParticipant,
    'userId' | 'displayName' | 'role' | 'handRaisedAt' | 'isForceMuted'
  >,
): ControlParticipant {
  return {
    userId: row.userId,
    displayName: row.displayName,
    role: row.role,
    handRaisedAt: row.handRaisedAt ? row.handRaisedAt.toISOString() : null,
    isForceMuted: row.isForceMuted,
  }
}

export type MeetingActor = { meeting: Meeting; actor: MeetingParticipant }

/** What every moderator-style call takes: who acts (actorId) in which meeting, from where. */
type ActorOptions = { db: Database; meetingId: string; actorId: string; ip?: string }
type TargetOptions = ActorOptions & { targetUserId: string }

/**
 * The meeting and the actor's participant row as they are now. Someone not admitted (any more) may
 * do nothing here: FORBIDDEN, as for any media event without a session.
 */
export async function requireAdmittedActor(options: {
  db: Database
  meetingId: string
  userId: string
}): Promise<MeetingActor> {
  const [meeting, actor] = await Promise.all([
    options.db
      .selectFrom('meeting')
      .selectAll()
      .where('id', '=', options.meetingId)
      .executeTakeFirst(),
    options.db
      .selectFrom('meetingParticipant')
      .selectAll()
      .where('meetingId', '=', options.meetingId)
      .where('userId', '=', options.userId)
      .executeTakeFirst(),
  ])
  if (!meeting || !actor || actor.status !== 'admitted') {
    throw new AppError('FORBIDDEN', 'You are not in this meeting')
  }
  if (meeting.status === 'ended' || meeting.status === 'cancelled') {
    throw new AppError('CONFLICT', 'This meeting has ended')
  }
  return { meeting, actor }
}

/** requireAdmittedActor, and the actor's role may do `action` under the current settings. */
export async function authorizeMeetingAction(options: {
  db: Database
  meetingId: string
  userId: string
  action: MeetingAction
}): Promise<MeetingActor> {
  const found = await requireAdmittedActor(options)
  if (!canDo(found.actor.role, options.action, settingsOf(found.meeting))) {
    throw new AppError('FORBIDDEN', forbiddenMessage(options.action))
  }
  return found
}

/** authorizeMeetingAction for the actor of a moderator-style call. */
function authorizeActor(options: ActorOptions, action: MeetingAction): Promise<MeetingActor> {
  return authorizeMeetingAction({ ...options, userId: options.actorId, action })
}

async function findTarget(options: {
  db: Database
  meetingId: string
  userId: string
  statuses: readonly ParticipantStatus[]
}): Promise<MeetingParticipant> {
  const target = await options.db
    .selectFrom('meetingParticipant')
    .selectAll()
    .where('meetingId', '=', options.meetingId)
    .where('userId', '=', options.userId)
    .executeTakeFirst()
  if (!target || !options.statuses.includes(target.status)) {
    throw new AppError('NOT_FOUND', NOT_FOUND_MESSAGE)
  }
  return target
}

/** An admitted participant the actor may moderate (core/permissions.ts canModerate). */
async function findModerationTarget(
  options: { db: Database; meetingId: string; targetUserId: string },
  actor: MeetingParticipant,
): Promise<MeetingParticipant> {
  const target = await findTarget({
    db: options.db,
    meetingId: options.meetingId,
    userId: options.targetUserId,
    statuses: ['admitted'],
  })
  if (target.userId === actor.userId) {
    throw new AppError('BAD_REQUEST', 'That is you: use your own controls')
  }
  if (!canModerate(actor.role, target.role)) {
    throw new AppError(
      'FORBIDDEN',
      target.role === 'organizer'
        ? 'Nobody can moderate the organizer'
        : 'Only the organizer can moderate a co-host',
    )
  }
  return target
}

function audit(
  options: { db: Database; ip?: string },
  { meeting, actor }: MeetingActor,
  action: string,
  metadata: Record<string, unknown>,
) {
  return writeAudit({
    db: options.db,
    actorId: actor.userId,
    organizationId: meeting.organizationId,
    action,
    targetType: 'meeting',
    targetId: meeting.id,
    ip: options.ip,
    metadata,
  })
}

/** Changes one participant row; the row as the room sees it. */
async function updateParticipant(
  db: Database,
  id: string,
  values: Updateable<MeetingParticipantTable>,
): Promise<ControlParticipant> {
  const updated = await db
    .updateTable('meetingParticipant')
    .set(values)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toControlParticipant(updated)
}

const userIdsOf = (rows: readonly { userId: string }[]) => rows.map((row) => row.userId)

export async function listControlParticipants(options: {
  db: Database
  meetingId: string
}): Promise<ControlParticipant[]> {
  const rows = await options.db
    .selectFrom('meetingParticipant')
    .select(['userId', 'displayName', 'role', 'handRaisedAt', 'isForceMuted'])
    .where('meetingId', '=', options.meetingId)
    .where('status', '=', 'admitted')
    .orderBy('createdAt')
    .orderBy('id')
    .execute()
  return rows.map(toControlParticipant)
}

/** Who waits in the lobby, longest first. */
export async function listLobby(options: {
  db: Database
  meetingId: string
}): Promise<LobbyEntry[]> {
  const rows = await options.db
    .selectFrom('meetingParticipant')
    .innerJoin('user', 'user.id', 'meetingParticipant.userId')
    .select([
      'meetingParticipant.userId',
      'meetingParticipant.displayName',
      'meetingParticipant.createdAt',
      'user.isAnonymous',
    ])
    .where('meetingParticipant.meetingId', '=', options.meetingId)
    .where('meetingParticipant.status', '=', 'lobby')
    .orderBy('meetingParticipant.createdAt')
    .orderBy('meetingParticipant.id')
    .execute()
  return rows.map((row) => ({
    userId: row.userId,
    displayName: row.displayName,
    isGuest: Boolean(row.isAnonymous),
    waitingSince: row.createdAt.toISOString(),
  }))
}

export async function getControlState(options: {
  db: Database
  meetingId: string
  userId: string
}) {
  const { meeting, actor } = await requireAdmittedActor(options)
  const [participants, lobby] = await Promise.all([
    listControlParticipants(options),
    canDo(actor.role, 'lobby.admit') ? listLobby(options) : Promise.resolve([]),
  ])
  return { settings: settingsOf(meeting), participants, lobby, myRole: actor.role }
}

export async function updateMeetingSettings(
  options: ActorOptions & { patch: MeetingSettingsPatch },
): Promise<{ settings: MeetingSettings; changed: Partial<MeetingSettings> }> {
  const found = await authorizeActor(options, 'meeting.updateSettings')
  const changed = Object.fromEntries(
    Object.entries(options.patch).filter(([, value]) => value !== undefined),
  ) as Partial<MeetingSettings>
  const updated = await options.db
    .updateTable('meeting')
    .set({ ...changed, updatedAt: new Date() })
    .where('id', '=', options.meetingId)
    .returningAll()
    .executeTakeFirstOrThrow()
  await audit(options, found, 'meeting.settings', { changed })
  return { settings: settingsOf(updated), changed }
}

export async function setParticipantRole(
  options: TargetOptions & { role: AssignableRole },
): Promise<{ participant: ControlParticipant; previousRole: MeetingRole }> {
  const found = await authorizeActor(options, 'meeting.setRole')
  const target = await findTarget({
    db: options.db,
    meetingId: options.meetingId,
    userId: options.targetUserId,
    statuses: ['admitted', 'lobby'],
  })
  if (target.role === 'organizer') {
    throw new AppError('FORBIDDEN', "Nobody can change the organizer's role")
  }
  const participant = await updateParticipant(options.db, target.id, { role: options.role })
  await audit(options, found, 'meeting.role', {
    targetUserId: target.userId,
    from: target.role,
    to: options.role,
  })
  return { participant, previousRole: target.role }
}

/** Who a lobby decision was about, for telling them. */
export type LobbyDecision = { participant: ControlParticipant; inviteCode: string }

/**
 * Lets someone in: from the lobby, or again after they were denied or removed (the issue's
 * "cannot rejoin unless admitted again").
 */
export async function admitFromLobby(options: TargetOptions): Promise<LobbyDecision> {
  const found = await authorizeActor(options, 'lobby.admit')
  const target = await findTarget({
    db: options.db,
    meetingId: options.meetingId,
    userId: options.targetUserId,
    statuses: ['lobby', 'denied', 'removed'],
  })
  const participant = await updateParticipant(options.db, target.id, { status: 'admitted' })
  await audit(options, found, 'meeting.admit', { targetUserId: target.userId, from: target.status })
  return { participant, inviteCode: found.meeting.inviteCode }
}

export async function denyFromLobby(options: TargetOptions): Promise<LobbyDecision> {
  const found = await authorizeActor(options, 'lobby.deny')
  const target = await findTarget({
    db: options.db,
    meetingId: options.meetingId,
    userId: options.targetUserId,
    statuses: ['lobby'],
  })
  const participant = await updateParticipant(options.db, target.id, { status: 'denied' })
  await audit(options, found, 'meeting.deny', { targetUserId: target.userId })
  return { participant, inviteCode: found.meeting.inviteCode }
}

export async function admitAllFromLobby(
  options: ActorOptions,
): Promise<{ admitted: ControlParticipant[]; inviteCode: string }> {
  const found = await authorizeActor(options, 'lobby.admitAll')
  const rows = await options.db
    .updateTable('meetingParticipant')
    .set({ status: 'admitted' })
    .where('meetingId', '=', options.meetingId)
    .where('status', '=', 'lobby')
    .returningAll()
    .execute()
  await audit(options, found, 'meeting.admit-all', { targetUserIds: userIdsOf(rows) })
  return { admitted: rows.map(toControlParticipant), inviteCode: found.meeting.inviteCode }
}

/** Marks the target muted by a moderator; the caller pauses their microphone on the SFU. */
export async function muteParticipant(
  options: TargetOptions,
): Promise<{ participant: ControlParticipant; actorName: string }> {
  const found = await authorizeActor(options, 'participant.mute')
  const target = await findModerationTarget(options, found.actor)
  const participant = await updateParticipant(options.db, target.id, { isForceMuted: true })
  await audit(options, found, 'meeting.mute', { targetUserId: target.userId })
  return { participant, actorName: found.actor.displayName }
}

/** Everyone the actor may moderate, except the actor; one audit row naming them all. */
export async function muteAllParticipants(
  options: ActorOptions,
): Promise<{ participants: ControlParticipant[]; actorName: string }> {
  const found = await authorizeActor(options, 'participant.muteAll')
  const admitted = await options.db
    .selectFrom('meetingParticipant')
    .select(['id', 'userId', 'role'])
    .where('meetingId', '=', options.meetingId)
    .where('status', '=', 'admitted')
    .where('userId', '!=', options.actorId)
    .execute()
  const ids = admitted.filter((row) => canModerate(found.actor.role, row.role)).map((row) => row.id)
  const rows = ids.length
    ? await options.db
        .updateTable('meetingParticipant')
        .set({ isForceMuted: true })
        .where('id', 'in', ids)
        .returningAll()
        .execute()
    : []
  await audit(options, found, 'meeting.mute-all', { targetUserIds: userIdsOf(rows) })
  return { participants: rows.map(toControlParticipant), actorName: found.actor.displayName }
}

/** Authorizes and records turning a target's camera off or stopping their screen share. */
export async function stopParticipantMedia(
  options: TargetOptions & { media: 'camera' | 'screen' },
): Promise<{ target: MeetingParticipant; actorName: string }> {
  const isCamera = options.media === 'camera'
  const found = await authorizeActor(
    options,
    isCamera ? 'participant.stopCamera' : 'participant.stopScreen',
  )
  const target = await findModerationTarget(options, found.actor)
  await audit(options, found, isCamera ? 'meeting.stop-camera' : 'meeting.stop-screen', {
    targetUserId: target.userId,
  })
  return { target, actorName: found.actor.displayName }
}

/** The target is out: status 'removed' (the invite link no longer lets them in), hand down. */
export async function removeParticipant(
  options: TargetOptions,
): Promise<{ target: MeetingParticipant; actorName: string; inviteCode: string }> {
  const found = await authorizeActor(options, 'participant.remove')
  const target = await findModerationTarget(options, found.actor)
  await updateParticipant(options.db, target.id, { status: 'removed', handRaisedAt: null })
  await audit(options, found, 'meeting.remove', { targetUserId: target.userId })
  return { target, actorName: found.actor.displayName, inviteCode: found.meeting.inviteCode }
}

/** Raises my hand; raising it again keeps my place in the queue. */
export async function raiseHand(options: {
  db: Database
  meetingId: string
  userId: string
}): Promise<ControlParticipant> {
  const { actor } = await authorizeMeetingAction({ ...options, action: 'hand.raise' })
  const updated = await options.db
    .updateTable('meetingParticipant')
    .set((eb) => ({ handRaisedAt: eb.fn.coalesce('handRaisedAt', eb.val(new Date())) }))
    .where('id', '=', actor.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return toControlParticipant(updated)
}

/** My own hand (no audit), or someone else's by a moderator (audited, and they are told). */
export async function lowerHand(
  options: ActorOptions & { targetUserId?: string },
): Promise<{ participant: ControlParticipant; isOwn: boolean; actorName: string }> {
  const isOwn = options.targetUserId === undefined || options.targetUserId === options.actorId
  const found = await authorizeActor(options, isOwn ? 'hand.lowerOwn' : 'hand.lowerOthers')
  const target = isOwn
    ? found.actor
    : await findTarget({
        db: options.db,
        meetingId: options.meetingId,
        userId: options.targetUserId!,
        statuses: ['admitted'],
      })
  const participant = await updateParticipant(options.db, target.id, { handRaisedAt: null })
  if (!isOwn) await audit(options, found, 'meeting.lower-hand', { targetUserId: target.userId })
  return { participant, isOwn, actorName: found.actor.displayName }
}

export async function lowerAllHands(
  options: ActorOptions,
): Promise<{ lowered: ControlParticipant[]; actorName: string }> {
  const found = await authorizeActor(options, 'hand.lowerAll')
  const rows = await options.db
    .updateTable('meetingParticipant')
    .set({ handRaisedAt: null })
    .where('meetingId', '=', options.meetingId)
    .where('handRaisedAt', 'is not', null)
    .returningAll()
    .execute()
  await audit(options, found, 'meeting.lower-all-hands', { targetUserIds: userIdsOf(rows) })
  return { lowered: rows.map(toControlParticipant), actorName: found.actor.displayName }
}

/**
 * Whether the user may send their microphone now. Not muted by a moderator: yes. Muted, and their
 * role may unmute under the current settings: yes, and the mark is lifted (`lifted` is the updated
 * participant to announce). Otherwise FORBIDDEN.
 */
export async function authorizeMicrophoneUnmute(options: {
  db: Database
  meetingId: string
  userId: string
}): Promise<{ lifted: ControlParticipant | null }> {
  const { meeting, actor } = await requireAdmittedActor(options)
  if (!actor.isForceMuted) return { lifted: null }
  if (!canDo(actor.role, 'audio.unmuteAfterModeratorMute', settingsOf(meeting))) {
    throw new AppError('FORBIDDEN', forbiddenMessage('audio.unmuteAfterModeratorMute'))
  }
  return { lifted: await updateParticipant(options.db, actor.id, { isForceMuted: false }) }
}

/** Whether the user may share their screen now (the meeting's screen share policy). */
export async function authorizeScreenShare(options: {
  db: Database
  meetingId: string
  userId: string
}): Promise<void> {
  await authorizeMeetingAction({ ...options, action: 'screen.share' })
}

/** Whether a moderator muted the user (and that mark is not lifted yet). */
export async function isForceMuted(options: {
  db: Database
  meetingId: string
  userId: string
}): Promise<boolean> {
  const row = await options.db
    .selectFrom('meetingParticipant')
    .select('isForceMuted')
    .where('meetingId', '=', options.meetingId)
    .where('userId', '=', options.userId)
    .executeTakeFirst()
  return row?.isForceMuted ?? false
}
