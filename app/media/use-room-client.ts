import { useEffect, useState, useSyncExternalStore } from 'react'
import { loadDevicePreferences } from './device-preferences.ts'
import type { RoomClient } from './room-client.ts'
import { createInitialRoomState, type RoomState } from './room-state.ts'

const idleState = createInitialRoomState()
const noSubscription = () => () => {}
const idleSnapshot = () => idleState

/**
 * A RoomClient for this meeting while `isEnabled` (the viewer is admitted), with the devices chosen
 * at pre-join. mediasoup-client and socket.io load on demand: the lobby and SSR never need them.
 */
export function useRoomClient(inviteCode: string, isEnabled: boolean) {
  const [client, setClient] = useState<RoomClient | null>(null)
  useEffect(() => {
    if (!isEnabled) return
    let isDisposed = false
    let created: RoomClient | null = null
    void Promise.all([import('./room-client.ts'), import('./socket-signaling.ts')]).then(
      ([{ RoomClient }, { createSocketSignaling }]) => {
        if (isDisposed) return
        const preferences = loadDevicePreferences()
        created = new RoomClient({
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
        })
        created.start()
        setClient(created)
      },
    )
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
    void import('./room-client.ts')
    void import('./socket-signaling.ts').then(({ preconnectSignaling }) => {
      if (!isDisposed) release = preconnectSignaling()
    })
    return () => {
      isDisposed = true
      release?.()
    }
  }, [isEnabled])
}
