import * as AvatarPrimitive from '@radix-ui/react-avatar'
import { cva, type VariantProps } from 'class-variance-authority'
import { User } from 'lucide-react'
import { getAvatarHue, getInitials } from '#app/components/ui/avatar-identity.ts'
import { cn } from '#app/utils/cn.ts'

const avatarVariants = cva(
  'relative inline-flex shrink-0 items-center justify-center overflow-hidden rounded-full font-medium text-white select-none',
  {
    variants: {
      size: {
        xs: 'size-6 text-[0.625rem]',
        sm: 'size-8 text-xs',
        md: 'size-10 text-sm',
        lg: 'size-12 text-base',
        xl: 'size-20 text-2xl',
      },
    },
    defaultVariants: { size: 'md' },
  },
)

export type AvatarProps = VariantProps<typeof avatarVariants> & {
  /** Display name or email; used for the initials and as the accessible name. */
  name: string
  /** A stable id (e.g. the user id) so the color survives renames; defaults to `name`. */
  colorKey?: string
  src?: string | null
  className?: string
  /** Hide from assistive technology when the name is already shown next to the avatar. */
  isDecorative?: boolean
}

export function Avatar({
  name,
  colorKey,
  src,
  size,
  className,
  isDecorative = false,
}: AvatarProps) {
  const initials = getInitials(name)
  return (
    <AvatarPrimitive.Root
      className={cn(avatarVariants({ size }), className)}
      style={{ backgroundColor: `oklch(0.52 0.13 ${getAvatarHue(colorKey ?? name)})` }}
      aria-hidden={isDecorative || undefined}
    >
      {src ? (
        <AvatarPrimitive.Image src={src} alt={name} className="size-full object-cover" />
      ) : null}
      <AvatarPrimitive.Fallback
        role="img"
        aria-label={name}
        className="flex size-full items-center justify-center"
      >
        {initials ? <span aria-hidden>{initials}</span> : <User className="size-1/2" aria-hidden />}
      </AvatarPrimitive.Fallback>
    </AvatarPrimitive.Root>
  )
}
