// Field schemas shared by forms. Messages are i18n keys in the "common" namespace
// (validation.*), translated where they are shown, so server and browser agree on the text.
import { useTranslation } from 'react-i18next'
import { z } from 'zod'

export const EmailSchema = z
  .email({ error: 'validation.email' })
  .max(254, { error: 'validation.tooLong' })
  .transform((email) => email.toLowerCase())

export const PasswordSchema = z
  .string({ error: 'validation.required' })
  .min(8, { error: 'validation.passwordTooShort' })
  .max(128, { error: 'validation.tooLong' })

export const PersonNameSchema = z
  .string({ error: 'validation.required' })
  .trim()
  .min(1, { error: 'validation.required' })
  .max(80, { error: 'validation.tooLong' })

/** Translates validation keys; texts that are not keys (none expected) pass through unchanged. */
export function useErrorText() {
  const { t } = useTranslation()
  return (errors: string[] | undefined) =>
    errors?.map((key) => t(key as 'validation.required', { defaultValue: key }))
}
