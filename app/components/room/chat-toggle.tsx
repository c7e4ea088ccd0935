// The control bar's chat button: opens the chat panel, counts what came while it was closed.
import { MessageSquare } from 'lucide-react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { cn } from '#app/utils/cn.ts'

export type ChatToggleProps = { isOpen: boolean; unread: number; onToggle: () => void }

export function ChatToggle({
  isOpen,
  unread,
  onToggle,
  className,
}: ChatToggleProps & { className?: string }) {
  const { t } = useTranslation('chat')
  const label = unread > 0 ? t('toggleUnread', { count: unread }) : t('toggle')
  return (
    <Button
      type="button"
      data-testid="chat-toggle"
      variant={isOpen ? 'default' : 'secondary'}
      size="icon"
      className={cn(className, 'relative')}
      aria-pressed={isOpen}
      aria-label={label}
      title={label}
      onClick={onToggle}
    >
      <MessageSquare aria-hidden />
      {unread > 0 ? (
        <span
          data-testid="chat-unread"
          aria-hidden
          className="absolute -end-1 -top-1 min-w-5 rounded-full bg-destructive px-1 text-xs leading-5 text-destructive-foreground"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </Button>
  )
}
