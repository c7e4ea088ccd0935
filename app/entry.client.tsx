import { RemixBrowser } from '@remix-run/react'
import { startTransition, StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { isLanguage, fallbackLanguage } from './i18n/config.ts'
import { createI18n } from './i18n/i18n.ts'

const lang = document.documentElement.lang
const i18n = createI18n(isLanguage(lang) ? lang : fallbackLanguage)

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <RemixBrowser />
      </I18nextProvider>
    </StrictMode>,
  )
})
