// The rooms of this node by id: serialized get-or-create, close after a grace period once empty,
// and rebuild on another worker when a room's worker dies.
import { once } from 'node:events'
import type { types } from 'mediasoup'
import { AppError, ErrorCode } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import type { MediaRpcResponses } from '#core/protocol/media-rpc.ts'
import type { PublishMediaEvent } from './events.ts'
import { Room, type RoomRequest } from './room.ts'
import type { WorkerPool } from './worker-pool.ts'

/** How long an empty room keeps its router, so a participant who reloads finds it still there. */
export const EMPTY_ROOM_GRACE_MS = 30_000

export type RoomStats = { rooms: number; peers: number }

export class RoomRegistry {
  readonly #pool: WorkerPool
  readonly #listenIps: types.TransportListenIp[]
  readonly #publish: PublishMediaEvent
  readonly #log: Logger
  readonly #emptyRoomGraceMs: number
  readonly #gonePeerGraceMs: number | undefined
  readonly #rooms = new Map<string, Room>()
  /** Creations in flight: concurrent joins of a new room share one, so one router is made. */
  readonly #creating = new Map<string, Promise<Room>>()
  /** Rebuilds in flight after a worker death; requests for the room wait for them. */
  readonly #resetting = new Map<string, Promise<void>>()
  readonly #emptyTimers = new Map<string, NodeJS.Timeout>()

  constructor(options: {
    pool: WorkerPool
    listenIps: types.TransportListenIp[]
    publish: PublishMediaEvent
    log: Logger
    emptyRoomGraceMs?: number
    gonePeerGraceMs?: number
  }) {
    this.#pool = options.pool
    this.#listenIps = options.listenIps
    this.#publish = options.publish
    this.#log = options.log
    this.#emptyRoomGraceMs = options.emptyRoomGraceMs ?? EMPTY_ROOM_GRACE_MS
    this.#gonePeerGraceMs = options.gonePeerGraceMs
    this.#pool.on('worker-died', ({ roomIds }) => {
      for (const roomId of roomIds) {
        // An unhandled rejection would end the process and every other room with it.
        this.#resetRoom(roomId).catch((error: unknown) => {
          this.#log.error({ err: error, roomId }, 'room reset failed')
        })
      }
    })
  }

  /** Creates the room on first join; later joins (and retries) reuse it. */
  async joinRoom(
    request: RoomRequest<'joinRoom'> & { roomId: string },
  ): Promise<MediaRpcResponses['joinRoom']> {
    const room = await this.#getOrCreateRoom(request.roomId)
    // Closed while we waited (e.g. its grace period ran out): start a fresh one.
    if (room.isClosed) return this.joinRoom(request)
    this.#cancelEmptyClose(room.roomId)
    return room.joinPeer(request)
  }

  /** The room once any rebuild in progress is done; NOT_FOUND when this node does not have it. */
  async getRoom(roomId: string): Promise<Room> {
    const room = this.#rooms.get(roomId) ?? (await this.#creating.get(roomId))
    if (!room) throw new AppError(ErrorCode.NotFound, 'room not found')
    await this.#resetting.get(roomId)
    if (room.isClosed) throw new AppError(ErrorCode.NotFound, 'room not found')
    return room
  }

  /** Idempotent: leaving a room or peer that is not here succeeds. */
  async leaveRoom(request: { roomId: string; peerId: string }): Promise<void> {
    const room = await this.getRoom(request.roomId).catch(() => undefined)
    if (!room) return
    room.leavePeer(request.peerId)
    if (room.peerCount === 0) this.#scheduleEmptyClose(room)
  }

  /** Idempotent: closing a room that is not here succeeds. */
  async closeRoom(roomId: string): Promise<void> {
    const room =
      this.#rooms.get(roomId) ?? (await this.#creating.get(roomId)?.catch(() => undefined))
    if (room) this.#close(room)
  }

  stats(): RoomStats {
    let peers = 0
    for (const room of this.#rooms.values()) peers += room.peerCount
    return { rooms: this.#rooms.size, peers }
  }

  /** Shutdown: closes every room and forgets its timers. */
  closeAll(): void {
    for (const room of [...this.#rooms.values()]) this.#close(room)
  }

  async #getOrCreateRoom(roomId: string): Promise<Room> {
    const existing = this.#rooms.get(roomId)
    if (existing) {
      await this.#resetting.get(roomId)
      return existing
    }
    let creating = this.#creating.get(roomId)
    if (!creating) {
      creating = Room.create({
        roomId,
        pickWorker: () => this.#pool.pickWorker(),
        listenIps: this.#listenIps,
        publish: this.#publish,
        log: this.#log,
        gonePeerGraceMs: this.#gonePeerGraceMs,
        onPeerGone: (room) => {
          if (room.peerCount === 0) this.#scheduleEmptyClose(room)
        },
      })
        .then((room) => {
          this.#rooms.set(roomId, room)
          return room
        })
        .finally(() => this.#creating.delete(roomId))
      this.#creating.set(roomId, creating)
    }
    return creating
  }

  #close(room: Room): void {
    this.#cancelEmptyClose(room.roomId)
    if (this.#rooms.get(room.roomId) === room) this.#rooms.delete(room.roomId)
    room.close()
  }

  #scheduleEmptyClose(room: Room): void {
    this.#cancelEmptyClose(room.roomId)
    const timer = setTimeout(() => {
      this.#emptyTimers.delete(room.roomId)
      if (room.peerCount === 0) this.#close(room)
    }, this.#emptyRoomGraceMs)
    // A pending grace period must not keep a stopping process alive.
    timer.unref()
    this.#emptyTimers.set(room.roomId, timer)
  }

  #cancelEmptyClose(roomId: string): void {
    clearTimeout(this.#emptyTimers.get(roomId))
    this.#emptyTimers.delete(roomId)
  }

  async #resetRoom(roomId: string): Promise<void> {
    // A room whose creation was in flight on the dying worker may still come out of it.
    const room =
      this.#rooms.get(roomId) ?? (await this.#creating.get(roomId)?.catch(() => undefined))
    if (!room || !room.isMediaBroken || this.#resetting.has(roomId)) return
    const resetting = this.#rebuildRoom(room).finally(() => this.#resetting.delete(roomId))
    this.#resetting.set(roomId, resetting)
    await resetting
  }

  async #rebuildRoom(room: Room): Promise<void> {
    const startedAt = performance.now()
    for (;;) {
      try {
        await room.resetMedia()
        this.#log.info(
          { roomId: room.roomId, ms: Math.round(performance.now() - startedAt) },
          'room rebuilt after its worker died',
        )
        return
      } catch (error) {
        if (room.isClosed) return
        // Usually no live worker right now (a one-worker node): retry once one is replaced.
        this.#log.error(
          { err: error, roomId: room.roomId },
          'room rebuild failed; waiting for a worker',
        )
        await once(this.#pool, 'worker-replaced')
        if (room.isClosed) return
      }
    }
  }
}
