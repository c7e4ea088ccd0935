// Emoji reactions: the picker in the control bar and the emojis that rise over a sender's tile.
import { SmilePlus } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { Popover, PopoverContent, PopoverTrigger } from '#app/components/ui/popover.tsx'
import type { FloatingReaction } from '#app/media/meeting-control.ts'
import { REACTION_EMOJIS, type ReactionEmoji } from '#core/protocol/meeting-control.ts'

export function ReactionsButton({
  onReact,
  triggerClassName,
}: {
  onReact: (emoji: ReactionEmoji) => void
  triggerClassName?: string
}) {
  const { t } = useTranslation('meetings')
  const [isOpen, setIsOpen] = useState(false)
  return (
    <Popover open={isOpen} onOpenChange={setIsOpen}>
      <PopoverTrigger asChild>
        <Button
          type="button"
          data-testid="reactions-toggle"
          variant="secondary"
          size="icon"
          className={triggerClassName}
          aria-label={t('control.reactions')}
          title={t('control.reactions')}
        >
          <SmilePlus aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent side="top" className="w-auto p-1.5">
        <div
          role="group"
          aria-label={t('control.reactionsBar')}
          data-testid="reactions-bar"
          className="flex gap-1"
        >
          {REACTION_EMOJIS.map((emoji) => (
            <Button
              key={emoji}
              type="button"
              variant="ghost"
              size="icon"
              data-emoji={emoji}
              className="size-11 text-2xl"
              aria-label={t('control.react', { emoji })}
              // The picker stays open: people often send a few in a row.
              onClick={() => onReact(emoji)}
            >
              <span aria-hidden>{emoji}</span>
            </Button>
          ))}
        </div>
      </PopoverContent>
    </Popover>
  )
}

/** Over a tile: each reaction rises and fades; with reduced motion it just shows, then goes. */
export function FloatingReactions({ reactions }: { reactions: readonly FloatingReaction[] }) {
  if (reactions.length === 0) return null
  return (
    <div aria-hidden className="pointer-events-none absolute inset-0 overflow-hidden">
      {reactions.map((reaction) => (
        <span
          key={reaction.id}
          data-testid="floating-reaction"
          data-emoji={reaction.emoji}
          className="absolute bottom-8 animate-float-up text-4xl drop-shadow-md motion-reduce:animate-none"
          // Spread across the tile so a burst does not stack on one spot.
          style={{ insetInlineStart: `${12 + ((reaction.id * 37) % 64)}%` }}
        >
          {reaction.emoji}
        </span>
      ))}
    </div>
  )
}
