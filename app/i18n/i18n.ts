import i18next, { type i18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { fallbackLanguage, namespaces, resources, type Language } from './config.ts'

/** A fresh i18next instance per request (server) or per page load (browser); resources are bundled. */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance()
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: fallbackLanguage,
    ns: namespaces,
    defaultNS: 'common',
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  })
  return instance
}
