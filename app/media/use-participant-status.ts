import { useEffect, useRef } from 'react'
import type { ParticipantStatusChange } from '#core/protocol/meeting-control.ts'

/**
 * While `isEnabled` (someone waits in the lobby): a socket that hears `participant:status` for this
 * meeting, so admission or denial shows at once. Every socket is in its user's room from connect,
 * so no join is needed. socket.io loads on demand, as in the room.
 */
export function useParticipantStatus(
  inviteCode: string,
  isEnabled: boolean,
  onStatus: (status: ParticipantStatusChange) => void,
) {
  const handler = useRef(onStatus)
  handler.current = onStatus
  useEffect(() => {
    if (!isEnabled) return
    let isDisposed = false
    let close: (() => void) | undefined
    void import('./socket-signaling.ts').then(({ createSocketSignaling }) => {
      if (isDisposed) return
      const signaling = createSocketSignaling()
      signaling.on('participant:status', (payload) => {
        if (payload.inviteCode === inviteCode) handler.current(payload.status)
      })
      signaling.connect()
      close = () => signaling.close()
    })
    return () => {
      isDisposed = true
      close?.()
    }
  }, [inviteCode, isEnabled])
}
