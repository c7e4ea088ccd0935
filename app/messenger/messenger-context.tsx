// One MessengerClient for the signed-in shell, shared by the chat screens, the navigation badge
// and the notifications. It exists only in the browser; the server renders the empty state.
import { createContext, useContext, useEffect, useState, useSyncExternalStore } from 'react'
import type { ReactNode } from 'react'
import { MessengerClient } from './client.ts'
import { initialMessengerState, type MessengerState } from './state.ts'

const MessengerContext = createContext<MessengerClient | null>(null)

export function MessengerProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const [client, setClient] = useState<MessengerClient | null>(null)
  useEffect(() => {
    const created = new MessengerClient({ userId })
    created.start()
    setClient(created)
    return () => {
      created.stop()
      setClient(null)
    }
  }, [userId])
  return <MessengerContext.Provider value={client}>{children}</MessengerContext.Provider>
}

/** The client, or null before hydration. */
export function useMessengerClient(): MessengerClient | null {
  return useContext(MessengerContext)
}

const noop = () => () => {}

export function useMessengerState<T>(select: (state: MessengerState) => T): T {
  const client = useContext(MessengerContext)
  return useSyncExternalStore(
    client?.subscribe ?? noop,
    () => select(client ? client.getState() : initialMessengerState),
    () => select(initialMessengerState),
  )
}
