import { Link } from '@remix-run/react'
import type { HTMLAttributes, ReactNode } from 'react'
import { cn } from '#app/utils/cn.ts'

export function List({ className, ...props }: HTMLAttributes<HTMLUListElement>) {
  // role="list" keeps list semantics in Safari, which drops them when list-style is none.
  return (
    <ul
      role="list"
      className={cn('divide-y overflow-hidden rounded-lg border bg-card', className)}
      {...props}
    />
  )
}

export type ListItemProps = Omit<HTMLAttributes<HTMLLIElement>, 'title'> & {
  /** Leading element, usually an `Avatar` with `isDecorative`. */
  avatar?: ReactNode
  title: ReactNode
  subtitle?: ReactNode
  /** Trailing buttons or menus; they stay clickable when the row is a link. */
  actions?: ReactNode
  /** Makes the whole row open this route, without nesting the actions inside the link. */
  to?: string
}

export function ListItem({
  avatar,
  title,
  subtitle,
  actions,
  to,
  className,
  ...props
}: ListItemProps) {
  return (
    <li
      className={cn(
        'relative flex min-h-14 items-center gap-3 px-3 py-2 sm:px-4',
        to && 'transition-colors hover:bg-accent',
        className,
      )}
      {...props}
    >
      {avatar}
      <div className="grid min-w-0 flex-1">
        <span className="truncate font-medium">
          {to ? (
            // The ::after overlay stretches the link over the row; actions sit above it.
            <Link
              to={to}
              className="outline-none after:absolute after:inset-0 focus-visible:after:outline-2 focus-visible:after:-outline-offset-2 focus-visible:after:outline-ring"
            >
              {title}
            </Link>
          ) : (
            title
          )}
        </span>
        {subtitle ? (
          <span className="truncate text-sm text-muted-foreground">{subtitle}</span>
        ) : null}
      </div>
      {actions ? (
        <div className="relative z-10 flex shrink-0 items-center gap-1">{actions}</div>
      ) : null}
    </li>
  )
}
