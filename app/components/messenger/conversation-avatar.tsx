import { Avatar } from '#app/components/ui/avatar.tsx'
import { cn } from '#app/utils/cn.ts'
import type { ConversationSummary, PresenceStatus } from '#core/protocol/messenger.ts'

const presenceClassName: Record<PresenceStatus, string> = {
  online: 'bg-success',
  away: 'bg-warning',
  offline: 'bg-muted-foreground/50',
}

export function PresenceDot({ status, className }: { status: PresenceStatus; className?: string }) {
  return (
    <span
      data-testid="presence"
      data-status={status}
      className={cn(
        'inline-block size-2.5 rounded-full ring-2 ring-background',
        presenceClassName[status],
        className,
      )}
    />
  )
}

/** Initials of the conversation (the other person in a direct chat), with their presence dot. */
export function ConversationAvatar({
  conversation,
  presence,
}: {
  conversation: ConversationSummary
  presence?: PresenceStatus
}) {
  return (
    <span className="relative shrink-0">
      <Avatar
        name={conversation.avatarName}
        colorKey={conversation.directUserId ?? conversation.id}
        size="md"
        isDecorative
      />
      {conversation.kind === 'direct' ? (
        <PresenceDot status={presence ?? 'offline'} className="absolute end-0 bottom-0" />
      ) : null}
    </span>
  )
}
