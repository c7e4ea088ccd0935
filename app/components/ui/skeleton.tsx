import type { HTMLAttributes } from 'react'
import { cn } from '#app/utils/cn.ts'

/** A loading placeholder; mark the region being loaded with `aria-busy` for screen readers. */
export function Skeleton({ className, ...props }: HTMLAttributes<HTMLDivElement>) {
  return <div className={cn('animate-pulse rounded-md bg-muted', className)} {...props} />
}
