// A small built-in emoji set: enough for reactions and everyday messages without an emoji library.
import { Smile } from 'lucide-react'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '#app/components/ui/button.tsx'
import { Popover, PopoverContent, PopoverTrigger } from '#app/components/ui/popover.tsx'

export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢', '🙏', '👀'] as const

// prettier-ignore
export const EMOJI_SET = [
  '😀', '😃', '😄', '😁', '😅', '😂', '🤣', '😊', '🙂', '😉', '😍', '😘',
  '😎', '🤔', '😐', '🙄', '😏', '😴', '😮', '😢', '😭', '😡', '🤯', '🥳',
  '👍', '👎', '👏', '🙌', '🙏', '💪', '👋', '🤝', '👀', '✌️', '👌', '🤞',
  '❤️', '🧡', '💛', '💚', '💙', '💜', '🔥', '✨', '🎉', '🎂', '☕', '🍕',
  '✅', '❌', '⚠️', '❓', '💡', '📌', '📎', '📅', '🚀', '💯', '⭐', '🌞',
] as const

export function EmojiGrid({ onPick }: { onPick: (emoji: string) => void }) {
  const { t } = useTranslation('messenger')
  return (
    <div role="group" aria-label={t('emoji.label')} className="grid grid-cols-8 gap-0.5">
      {EMOJI_SET.map((emoji) => (
        <button
          key={emoji}
          type="button"
          onClick={() => onPick(emoji)}
          className="flex size-8 items-center justify-center rounded-md text-lg hover:bg-accent focus-visible:bg-accent"
        >
          {emoji}
        </button>
      ))}
    </div>
  )
}

export function EmojiPicker({ onPick }: { onPick: (emoji: string) => void }) {
  const { t } = useTranslation('messenger')
  const [isOpen, setIsOpen] = useState(false)
  return (
    <Popover open={isOpen} onOpenChange={setIsOpen}>
      <PopoverTrigger asChild>
        <Button type="button" variant="ghost" size="icon" aria-label={t('emoji.open')}>
          <Smile aria-hidden />
        </Button>
      </PopoverTrigger>
      <PopoverContent align="start" side="top" className="w-auto p-2">
        <EmojiGrid
          onPick={(emoji) => {
            onPick(emoji)
            setIsOpen(false)
          }}
        />
      </PopoverContent>
    </Popover>
  )
}
