import { useEffect, useState, useSyncExternalStore } from 'react'
import { loadDevicePreferences } from './device-preferences.ts'
import { forecastFirstScreen } from './grid-layout.ts'
import type { RoomClient } from './room-client.ts'
import { createInitialRoomState, selectParticipants, type RoomState } from './room-state.ts'

const idleState = createInitialRoomState()
const noSubscription = () => () => {}
const idleSnapshot = () => idleState
/** A client started by the Join click that the room screen did not take over is dropped then. */
const EARLY_CLIENT_GRACE_MS = 10_000

/** mediasoup-client and socket.io load on demand: the lobby and SSR never need them. */
const loadRoomModules = () =>
  Promise.all([import('./room-client.ts'), import('./socket-signaling.ts')])

async function startRoomClient(inviteCode: string): Promise<RoomClient> {
  const [{ RoomClient }, { createSocketSignaling }] = await loadRoomModules()
  const preferences = loadDevicePreferences()
  const client = new RoomClient({
    inviteCode,
    signaling: createSocketSignaling(),
    initial: {
      isMicOn: preferences.isMicrophoneOn,
      isCameraOn: preferences.isCameraOn,
      cameraId: preferences.cameraId,
      microphoneId: preferences.microphoneId,
      speakerId: preferences.speakerId,
    },
    // Warnings, not errors: a failed consume or a retried join is recoverable.
    onError: (message, error) => console.warn(`[room] ${message}`, error),
    forecastVideos,
  })
  client.start()
  return client
}

/** What the room screen (MeetingRoom's tiles, grid layout, everyone's video on) will first show. */
function forecastVideos(state: RoomState) {
  const participants = selectParticipants(state)
  return forecastFirstScreen({
    viewport: { width: window.innerWidth, height: window.innerHeight },
    devicePixelRatio: window.devicePixelRatio,
    cameras: participants.map((p) => (p.camera && !p.camera.isPaused ? p.camera.id : null)),
    screen: participants.findLast((p) => p.screen)?.screen?.id ?? null,
  })
}

let early: {
  inviteCode: string
  client: Promise<RoomClient>
  dropTimer: ReturnType<typeof setTimeout>
} | null = null

/**
 * The Join click: joining starts now, while the room screen's data and code are still on their way;
 * the room screen takes this client over (useRoomClient).
 */
export function joinEarly(inviteCode: string) {
  if (early) return
  const client = startRoomClient(inviteCode)
  const dropTimer = setTimeout(() => {
    if (early?.client !== client) return
    early = null
    void client.then((dropped) => dropped.dispose())
  }, EARLY_CLIENT_GRACE_MS)
  early = { inviteCode, client, dropTimer }
}

function takeEarlyClient(inviteCode: string): Promise<RoomClient> | null {
  if (early?.inviteCode !== inviteCode) return null
  const { client, dropTimer } = early
  clearTimeout(dropTimer)
  early = null
  return client
}

/** A RoomClient for this meeting while `isEnabled` (the viewer is admitted), with the pre-join devices. */
export function useRoomClient(inviteCode: string, isEnabled: boolean) {
  const [client, setClient] = useState<RoomClient | null>(null)
  useEffect(() => {
    if (!isEnabled) return
    let isDisposed = false
    let created: RoomClient | null = null
    void (takeEarlyClient(inviteCode) ?? startRoomClient(inviteCode)).then((started) => {
      if (isDisposed) {
        started.dispose()
        return
      }
      created = started
      setClient(started)
    })
    return () => {
      isDisposed = true
      created?.dispose()
      setClient(null)
    }
  }, [inviteCode, isEnabled])

  const state: RoomState = useSyncExternalStore(
    client?.subscribe ?? noSubscription,
    client?.getSnapshot ?? idleSnapshot,
    idleSnapshot,
  )
  return { client, state }
}

/**
 * Pre-join, for someone who may enter: loads the room's code and opens its socket before Join is
 * clicked, so entering does not wait for either.
 */
export function useRoomWarmUp(isEnabled: boolean) {
  useEffect(() => {
    if (!isEnabled) return
    let isDisposed = false
    let release: (() => void) | undefined
    void loadRoomModules().then(([, { preconnectSignaling }]) => {
      if (!isDisposed) release = preconnectSignaling()
    })
    return () => {
      isDisposed = true
      release?.()
    }
  }, [isEnabled])
}
