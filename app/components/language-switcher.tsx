import { Form, useLocation } from '@remix-run/react'
import { useTranslation } from 'react-i18next'
import { supportedLanguages } from '#app/i18n/config.ts'
import { cn } from '#app/utils/cn.ts'

const labels = { ru: 'Русский', en: 'English' } as const

/** RU/EN toggle; a plain form so it works before hydration too. */
export function LanguageSwitcher({ className }: { className?: string }) {
  const { i18n, t } = useTranslation()
  const location = useLocation()
  return (
    <Form
      method="post"
      action="/preferences"
      className={cn('flex gap-1', className)}
      aria-label={t('language')}
    >
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      {supportedLanguages.map((lng) => (
        <button
          key={lng}
          type="submit"
          name="lng"
          value={lng}
          lang={lng}
          aria-pressed={i18n.language === lng}
          className={cn(
            'rounded-md px-2 py-1 text-sm',
            i18n.language === lng
              ? 'bg-accent font-medium text-accent-foreground'
              : 'text-muted-foreground hover:text-foreground',
          )}
        >
          {labels[lng]}
        </button>
      ))}
    </Form>
  )
}
