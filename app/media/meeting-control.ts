// Meeting control as the browser sees it: settings, roles, raised hands, the lobby (moderators) and
// floating reactions, fed by the room's signaling connection (core/protocol/meeting-control.ts).
// Framework-free like RoomClient; React reads it through `subscribe`/`getSnapshot`. What concerns
// this person directly (a moderator muted them, they were removed, someone new waits in the lobby)
// comes out as notices, so the room can act on its own media and tell them.
import type { MeetingRole } from '#core/db/types.ts'
import type {
  ControlParticipant,
  LobbyEntry,
  MeetingSettings,
  ReactionEmoji,
} from '#core/protocol/meeting-control.ts'
import type { ServerEventPayloads } from '#core/protocol/signaling.ts'
import type { ServerEvent, SignalingConnection } from './signaling.ts'

export type FloatingReaction = { id: number; peerId: string; userId: string; emoji: ReactionEmoji }

export type MeetingControlState = {
  /** The first `meeting:state` of this join has arrived. */
  isLoaded: boolean
  myRole: MeetingRole
  settings: MeetingSettings
  /** Admitted people by user id (present in the room or not). */
  participants: Record<string, ControlParticipant>
  /** Waiting people, oldest first; always empty for non-moderators. */
  lobby: LobbyEntry[]
  reactions: FloatingReaction[]
}

export type ControlAction =
  | {
      type: 'loaded'
      settings: MeetingSettings
      participants: ControlParticipant[]
      lobby: LobbyEntry[]
      myRole: MeetingRole
    }
  | { type: 'settings'; settings: MeetingSettings }
  | { type: 'participant'; participant: ControlParticipant; myUserId: string }
  | { type: 'lobby'; lobby: LobbyEntry[] }
  | { type: 'reactionAdded'; reaction: FloatingReaction }
  | { type: 'reactionExpired'; id: number }

export type ControlNotice =
  /** A moderator acted on me. */
  | { type: 'applied'; action: ServerEventPayloads['moderation:applied']['action']; byName: string }
  | { type: 'status'; inviteCode: string; status: 'admitted' | 'denied' | 'removed' }
  /** People who were not waiting before (moderators only). */
  | { type: 'lobbyArrived'; entries: LobbyEntry[] }
  /** The server changed my role (promotion / demotion). */
  | { type: 'roleChanged'; role: MeetingRole }

export const DEFAULT_SETTINGS: MeetingSettings = {
  isLocked: false,
  lobbyEnabled: true,
  screenSharePolicy: 'everyone',
  allowSelfUnmute: true,
  isChatEnabled: true,
}

// How long a reaction floats over a tile, and how many may float at once in the whole room.
export const REACTION_TTL_MS = 4_000
const MAX_REACTIONS = 24

export function createInitialControlState(myRole: MeetingRole): MeetingControlState {
  return {
    isLoaded: false,
    myRole,
    settings: DEFAULT_SETTINGS,
    participants: {},
    lobby: [],
    reactions: [],
  }
}

export function controlReducer(
  state: MeetingControlState,
  action: ControlAction,
): MeetingControlState {
  switch (action.type) {
    case 'loaded':
      return {
        ...state,
        isLoaded: true,
        myRole: action.myRole,
        settings: action.settings,
        participants: Object.fromEntries(action.participants.map((p) => [p.userId, p])),
        lobby: sortLobby(action.lobby),
      }
    case 'settings':
      return { ...state, settings: action.settings }
    case 'participant': {
      const { participant } = action
      return {
        ...state,
        myRole: participant.userId === action.myUserId ? participant.role : state.myRole,
        participants: { ...state.participants, [participant.userId]: participant },
      }
    }
    case 'lobby':
      return { ...state, lobby: sortLobby(action.lobby) }
    case 'reactionAdded':
      return { ...state, reactions: [...state.reactions, action.reaction].slice(-MAX_REACTIONS) }
    case 'reactionExpired': {
      const reactions = state.reactions.filter((reaction) => reaction.id !== action.id)
      return reactions.length === state.reactions.length ? state : { ...state, reactions }
    }
  }
}

function sortLobby(lobby: LobbyEntry[]): LobbyEntry[] {
  return [...lobby].sort((a, b) => a.waitingSince.localeCompare(b.waitingSince))
}

/**
 * Raised hands of the people in the room now (`presentUserIds`), in the order they went up: the
 * queue moderators work through. Someone who left with a hand up is not waiting to speak; their
 * place comes back if they only dropped off for a moment.
 */
export function selectRaisedHands(
  state: MeetingControlState,
  presentUserIds: ReadonlySet<string>,
): ControlParticipant[] {
  return Object.values(state.participants)
    .filter((p): p is ControlParticipant & { handRaisedAt: string } => p.handRaisedAt !== null)
    .filter((p) => presentUserIds.has(p.userId))
    .sort((a, b) => a.handRaisedAt.localeCompare(b.handRaisedAt))
}

export type MeetingControlOptions = {
  signaling: SignalingConnection
  myUserId: string
  /** The role from the page's data, until `meeting:state` says otherwise. */
  initialRole: MeetingRole
  onError?: (message: string, error: unknown) => void
}

export class MeetingControl {
  private state: MeetingControlState
  private readonly listeners = new Set<() => void>()
  private readonly noticeHandlers = new Set<(notice: ControlNotice) => void>()
  private readonly signaling: SignalingConnection
  private readonly myUserId: string
  private readonly options: MeetingControlOptions
  private readonly reactionTimers = new Set<ReturnType<typeof setTimeout>>()
  private nextReactionId = 0
  private loadSeq = 0
  /** Events that arrive while `meeting:state` is in flight, replayed over its snapshot. */
  private pending: (() => void)[] | null = null
  private isDisposed = false

  constructor(options: MeetingControlOptions) {
    this.options = options
    this.signaling = options.signaling
    this.myUserId = options.myUserId
    this.state = createInitialControlState(options.initialRole)
    this.listen()
  }

  // ── Store ────────────────────────────────────────────────────────────────────────────────────

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  getSnapshot = (): MeetingControlState => this.state

  onNotice(handler: (notice: ControlNotice) => void): () => void {
    this.noticeHandlers.add(handler)
    return () => this.noticeHandlers.delete(handler)
  }

  private dispatch(action: ControlAction) {
    const next = controlReducer(this.state, action)
    if (next === this.state) return
    this.state = next
    for (const listener of this.listeners) listener()
  }

  private notify(notice: ControlNotice) {
    for (const handler of this.noticeHandlers) handler(notice)
  }

  dispose() {
    this.isDisposed = true
    for (const timer of this.reactionTimers) clearTimeout(timer)
    this.reactionTimers.clear()
    this.listeners.clear()
    this.noticeHandlers.clear()
  }

  // ── Loading ──────────────────────────────────────────────────────────────────────────────────

  /** Fetches the whole picture; called after every media join (the server needs the session). */
  async load(): Promise<void> {
    if (this.isDisposed) return
    const seq = ++this.loadSeq
    this.pending ??= []
    try {
      const snapshot = await this.signaling.request('meeting:state', {})
      if (seq !== this.loadSeq || this.isDisposed) return
      const previousRole = this.state.myRole
      this.dispatch({ type: 'loaded', ...snapshot })
      if (snapshot.myRole !== previousRole)
        this.notify({ type: 'roleChanged', role: snapshot.myRole })
    } catch (error) {
      if (seq === this.loadSeq) this.options.onError?.('meeting state failed', error)
    } finally {
      if (seq === this.loadSeq) {
        const pending = this.pending ?? []
        this.pending = null
        for (const replay of pending) replay()
      }
    }
  }

  // ── Server events ────────────────────────────────────────────────────────────────────────────

  private on<E extends ServerEvent>(event: E, handler: (payload: ServerEventPayloads[E]) => void) {
    this.signaling.on(event, (payload) => {
      if (this.isDisposed) return
      if (this.pending) this.pending.push(() => handler(payload))
      else handler(payload)
    })
  }

  private listen() {
    this.on('meeting:settings', ({ settings }) => this.dispatch({ type: 'settings', settings }))
    this.on('meeting:participant', ({ participant }) => {
      const previousRole = this.state.myRole
      this.dispatch({ type: 'participant', participant, myUserId: this.myUserId })
      if (participant.userId === this.myUserId && participant.role !== previousRole) {
        this.notify({ type: 'roleChanged', role: participant.role })
        // A new moderator needs the lobby; a former one must not keep showing it.
        void this.load()
      }
    })
    this.on('lobby:changed', ({ lobby }) => {
      const before = new Set(this.state.lobby.map((entry) => entry.userId))
      this.dispatch({ type: 'lobby', lobby })
      const arrived = lobby.filter((entry) => !before.has(entry.userId))
      if (arrived.length > 0) this.notify({ type: 'lobbyArrived', entries: arrived })
    })
    this.on('meeting:reaction', ({ peerId, userId, emoji }) =>
      this.addReaction(peerId, userId, emoji),
    )
    // Not delayed by a load: these concern me directly.
    this.signaling.on('moderation:applied', ({ action, byName }) => {
      if (!this.isDisposed) this.notify({ type: 'applied', action, byName })
    })
    this.signaling.on('participant:status', ({ inviteCode, status }) => {
      if (!this.isDisposed) this.notify({ type: 'status', inviteCode, status })
    })
  }

  private addReaction(peerId: string, userId: string, emoji: ReactionEmoji) {
    const id = ++this.nextReactionId
    this.dispatch({ type: 'reactionAdded', reaction: { id, peerId, userId, emoji } })
    const timer = setTimeout(() => {
      this.reactionTimers.delete(timer)
      this.dispatch({ type: 'reactionExpired', id })
    }, REACTION_TTL_MS)
    this.reactionTimers.add(timer)
  }

  // ── Actions (the server checks every one; a refusal rejects with its SignalingError) ──────────

  admit(userId: string) {
    return this.signaling.request('lobby:admit', { userId })
  }
  deny(userId: string) {
    return this.signaling.request('lobby:deny', { userId })
  }
  admitAll() {
    return this.signaling.request('lobby:admitAll', {})
  }
  mute(userId: string) {
    return this.signaling.request('moderation:mute', { userId })
  }
  muteAll() {
    return this.signaling.request('moderation:muteAll', {})
  }
  stopCamera(userId: string) {
    return this.signaling.request('moderation:stopCamera', { userId })
  }
  stopScreen(userId: string) {
    return this.signaling.request('moderation:stopScreen', { userId })
  }
  remove(userId: string) {
    return this.signaling.request('moderation:remove', { userId })
  }
  setRole(userId: string, role: 'cohost' | 'presenter' | 'participant' | 'guest') {
    return this.signaling.request('meeting:setRole', { userId, role })
  }
  async updateSettings(patch: Partial<MeetingSettings>) {
    const { settings } = await this.signaling.request('meeting:updateSettings', patch)
    this.dispatch({ type: 'settings', settings })
  }
  raiseHand() {
    return this.signaling.request('hand:raise', {})
  }
  /** My own hand, or someone else's (moderators). */
  lowerHand(userId?: string) {
    return this.signaling.request('hand:lower', userId ? { userId } : {})
  }
  lowerAllHands() {
    return this.signaling.request('hand:lowerAll', {})
  }
  react(emoji: ReactionEmoji) {
    return this.signaling.request('reaction:send', { emoji })
  }
}
