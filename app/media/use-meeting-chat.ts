import { useEffect, useState, useSyncExternalStore } from 'react'
import { createInitialChatState, MeetingChat, type MeetingChatState } from './meeting-chat.ts'
import type { RoomClient } from './room-client.ts'

const noSubscription = () => () => {}
const idleState = createInitialChatState()
const idleSnapshot = () => idleState

/** The meeting chat on the room's socket and transports while `client` exists. */
export function useMeetingChat(client: RoomClient | null, myUserId: string) {
  const [chat, setChat] = useState<MeetingChat | null>(null)
  useEffect(() => {
    if (!client) return
    const created = new MeetingChat({
      signaling: client.signaling,
      onDataSession: (listener) => client.onDataSession(listener),
      myUserId,
      onError: (message, error) => console.warn(`[chat] ${message}`, error),
    })
    setChat(created)
    return () => {
      created.dispose()
      setChat(null)
    }
  }, [client, myUserId])

  const state: MeetingChatState = useSyncExternalStore(
    chat?.subscribe ?? noSubscription,
    chat?.getSnapshot ?? idleSnapshot,
    idleSnapshot,
  )
  return { chat, state }
}
