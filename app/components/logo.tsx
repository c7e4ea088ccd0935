import { useRouteLoaderData } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import type { RootLoader } from '#app/root.tsx'
import { cn } from '#app/utils/cn.ts'

/** The organization's logo when it set one, otherwise ours. */
export function Logo({ className }: { className?: string }) {
  const { t } = useTranslation()
  const branding = useRouteLoaderData<RootLoader>('root')?.branding
  return (
    <span className={cn('flex items-center gap-2 text-lg font-semibold', className)}>
      {branding?.logoUrl ? (
        <img src={branding.logoUrl} alt="" className="size-8 rounded-md object-contain" />
      ) : (
        <svg viewBox="0 0 32 32" className="size-8" aria-hidden="true">
          <rect width="32" height="32" rx="8" className="fill-primary" />
          <path
            d="M9 11h9a3 3 0 0 1 3 3v6a1 1 0 0 1-1 1h-9a3 3 0 0 1-3-3v-6a1 1 0 0 1 1-1Zm13 4 4-2.5v9L22 19Z"
            className="fill-primary-foreground"
          />
        </svg>
      )}
      <span>{branding?.name ?? t('appName')}</span>
    </span>
  )
}
