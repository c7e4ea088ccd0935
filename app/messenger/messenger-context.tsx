// One MessengerClient for the signed-in shell, shared by the chat screens, the navigation badge
// and the notifications. It exists only in the browser; the server renders the empty state.
import { createContext, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react'
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

/**
 * A value derived from the messenger state. The result is cached per state and selector, so a
 * selector that builds a new array (a sorted list) does not make React re-render forever.
 */
export function useMessengerState<T>(select: (state: MessengerState) => T): T {
  const client = useContext(MessengerContext)
  const cache = useRef<{ state: MessengerState; select: unknown; value: T } | null>(null)
  const snapshot = (state: MessengerState) => {
    const cached = cache.current
    if (cached && cached.state === state && cached.select === select) return cached.value
    const value = select(state)
    cache.current = { state, select, value }
    return value
  }
  return useSyncExternalStore(
    client?.subscribe ?? noop,
    () => snapshot(client ? client.getState() : initialMessengerState),
    () => snapshot(initialMessengerState),
  )
}
