import { useNavigation } from '@remix-run/react'
import { useEffect, useState, useSyncExternalStore } from 'react'
import { loadDevicePreferences } from './device-preferences.ts'
import { forecastFirstScreen } from './grid-layout.ts'
import type { RoomClient } from './room-client.ts'
import { createInitialRoomState, selectParticipants, type RoomState } from './room-state.ts'

const idleState = createInitialRoomState()
const noSubscription = () => () => {}
const idleSnapshot = () => idleState
/**
 * A client started by the Join click is taken over in the render that replaces the pre-join page;
 * one still untaken this long after that page went away is dropped.
 */
const EARLY_CLIENT_GRACE_MS = 3_000

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
  dropTimer?: ReturnType<typeof setTimeout>
} | null = null

/**
 * The Join click: joining starts now, while the room screen's data and code are still on their way
 * (on a busy phone that can take many seconds); the room screen takes this client over
 * (useRoomClient). The pre-join page lets it go if the room screen does not come (useEarlyJoin).
 */
export function joinEarly(inviteCode: string) {
  if (early) return
  early = { inviteCode, client: startRoomClient(inviteCode) }
}

function takeEarlyClient(inviteCode: string): Promise<RoomClient> | null {
  if (early?.inviteCode !== inviteCode) return null
  const { client, dropTimer } = early
  clearTimeout(dropTimer)
  early = null
  return client
}

function dropEarlyClientSoon() {
  const held = early
  if (!held || held.dropTimer) return
  held.dropTimer = setTimeout(() => {
    if (early !== held) return
    early = null
    void held.client.then((dropped) => dropped.dispose())
  }, EARLY_CLIENT_GRACE_MS)
}

/**
 * On the pre-join page: a joinEarly() client is dropped when the navigation it went with ends
 * without the room screen (refused, failed, redirected back) or the page goes away, so nobody is
 * left in the meeting with camera and microphone while looking at something else.
 */
export function useEarlyJoin() {
  const isNavigating = useNavigation().state !== 'idle'
  useEffect(() => {
    if (!isNavigating) dropEarlyClientSoon()
  }, [isNavigating])
  useEffect(() => dropEarlyClientSoon, [])
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
