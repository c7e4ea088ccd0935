import { useEffect, useState, useSyncExternalStore } from 'react'
import type { MeetingRole } from '#core/db/types.ts'
import {
  createInitialControlState,
  MeetingControl,
  type MeetingControlState,
} from './meeting-control.ts'
import type { RoomClient } from './room-client.ts'

const noSubscription = () => () => {}

/**
 * Meeting control on the room's socket while `client` exists; its state is loaded again after
 * every join (`peerId` changes with each one, including reconnects).
 */
export function useMeetingControl(
  client: RoomClient | null,
  peerId: string | null,
  me: { userId: string; role: MeetingRole },
) {
  const [control, setControl] = useState<MeetingControl | null>(null)
  const { userId, role } = me
  useEffect(() => {
    if (!client) return
    const created = new MeetingControl({
      signaling: client.signaling,
      myUserId: userId,
      initialRole: role,
      onError: (message, error) => console.warn(`[control] ${message}`, error),
    })
    setControl(created)
    return () => {
      created.dispose()
      setControl(null)
    }
    // The role only seeds the state; the server's answer replaces it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, userId])

  useEffect(() => {
    if (control && peerId) void control.load()
  }, [control, peerId])

  const [idle] = useState(() => createInitialControlState(role))
  const state: MeetingControlState = useSyncExternalStore(
    control?.subscribe ?? noSubscription,
    control?.getSnapshot ?? (() => idle),
    () => idle,
  )
  return { control, state }
}
