import { forwardRef, type TextareaHTMLAttributes } from 'react'
import { controlClassName } from '#app/components/ui/input.tsx'
import { cn } from '#app/utils/cn.ts'

export type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement>

export const Textarea = forwardRef<HTMLTextAreaElement, TextareaProps>(
  ({ className, ...props }, ref) => (
    <textarea
      ref={ref}
      className={cn(controlClassName, 'min-h-20 py-2 [field-sizing:content]', className)}
      {...props}
    />
  ),
)
Textarea.displayName = 'Textarea'
