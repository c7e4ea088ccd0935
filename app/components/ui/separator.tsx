import type { HTMLAttributes } from 'react'
import { cn } from '#app/utils/cn.ts'

export type SeparatorProps = HTMLAttributes<HTMLDivElement> & {
  orientation?: 'horizontal' | 'vertical'
  /** Purely visual lines are hidden from assistive technology. */
  isDecorative?: boolean
}

export function Separator({
  className,
  orientation = 'horizontal',
  isDecorative = true,
  ...props
}: SeparatorProps) {
  return (
    <div
      role={isDecorative ? 'none' : 'separator'}
      aria-orientation={isDecorative || orientation === 'horizontal' ? undefined : orientation}
      className={cn(
        'shrink-0 bg-border',
        orientation === 'horizontal' ? 'h-px w-full' : 'h-full w-px',
        className,
      )}
      {...props}
    />
  )
}
