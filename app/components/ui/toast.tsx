import * as ToastPrimitive from '@radix-ui/react-toast'
import { X } from 'lucide-react'
import { useEffect, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import { cn } from '#app/utils/cn.ts'

export type ToastVariant = 'default' | 'success' | 'destructive'

export type ToastOptions = {
  /** Reusing an id replaces that toast instead of stacking a duplicate. */
  id?: string
  title: string
  description?: string
  variant?: ToastVariant
}

/** A toast the server puts in the session for the next page; the id makes it show only once. */
export type ServerToast = ToastOptions & { id: string }

type ToastEntry = ToastOptions & { id: string; isOpen: boolean }

const MAX_TOASTS = 3
// Long enough for the close animation before the entry leaves the store.
const REMOVE_DELAY_MS = 300

// Module state is only touched in the browser: `toast()` is for event handlers and effects.
let entries: ToastEntry[] = []
let nextId = 0
const listeners = new Set<() => void>()
const shownServerToastIds = new Set<string>()
const noEntries: ToastEntry[] = []

function setEntries(next: ToastEntry[]) {
  entries = next
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void) {
  listeners.add(listener)
  return () => {
    listeners.delete(listener)
  }
}

/** Shows a toast from anywhere in the browser; returns its id. */
export function toast(options: ToastOptions): string {
  const id = options.id ?? `toast-${++nextId}`
  const others = entries.filter((entry) => entry.id !== id)
  setEntries([...others, { ...options, id, isOpen: true }].slice(-MAX_TOASTS))
  return id
}

export function dismissToast(id: string) {
  setEntries(entries.map((entry) => (entry.id === id ? { ...entry, isOpen: false } : entry)))
  setTimeout(() => {
    // A toast shown again under the same id in the meantime stays.
    setEntries(entries.filter((entry) => entry.id !== id || entry.isOpen))
  }, REMOVE_DELAY_MS)
}

const variantClassName: Record<ToastVariant, string> = {
  default: '',
  success: 'border-s-4 border-s-success',
  destructive: 'border-destructive bg-destructive text-destructive-foreground',
}

export type ToasterProps = {
  /** A server-sent toast (e.g. "Meeting deleted" after a redirect), shown once per id. */
  initial?: ServerToast | null
}

/** Mount once in the root layout. */
export function Toaster({ initial }: ToasterProps) {
  const { t } = useTranslation('ui')
  const toasts = useSyncExternalStore(
    subscribe,
    () => entries,
    () => noEntries,
  )

  useEffect(() => {
    if (!initial || shownServerToastIds.has(initial.id)) return
    shownServerToastIds.add(initial.id)
    toast(initial)
  }, [initial])

  return (
    <ToastPrimitive.Provider label={t('toast.label')}>
      {toasts.map(({ id, title, description, variant = 'default', isOpen }) => (
        <ToastPrimitive.Root
          key={id}
          open={isOpen}
          onOpenChange={(open) => {
            if (!open) dismissToast(id)
          }}
          // Errors interrupt the screen reader; other toasts wait their turn.
          type={variant === 'destructive' ? 'foreground' : 'background'}
          className={cn(
            'pointer-events-auto relative grid w-full gap-1 rounded-lg border bg-popover p-4 pe-11 text-popover-foreground shadow-lg',
            'data-[state=closed]:animate-fade-out data-[state=open]:animate-slide-in',
            'data-[swipe=cancel]:translate-x-0 data-[swipe=cancel]:transition-transform data-[swipe=end]:animate-swipe-out data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x)',
            variantClassName[variant],
          )}
        >
          <ToastPrimitive.Title className="text-sm font-semibold">{title}</ToastPrimitive.Title>
          {description ? (
            <ToastPrimitive.Description className="text-sm opacity-90">
              {description}
            </ToastPrimitive.Description>
          ) : null}
          <ToastPrimitive.Close
            className="absolute end-2 top-2 inline-flex size-8 items-center justify-center rounded-md opacity-70 transition-opacity hover:opacity-100"
            aria-label={t('close')}
          >
            <X className="size-4" aria-hidden />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport
        label={t('toast.viewport')}
        // Clicks pass through the empty viewport area to the page underneath.
        className="pointer-events-none fixed end-0 bottom-0 start-0 z-[100] m-0 flex max-h-dvh list-none flex-col gap-2 p-4 pb-[max(1rem,env(safe-area-inset-bottom))] outline-none sm:start-auto sm:w-96"
      />
    </ToastPrimitive.Provider>
  )
}
