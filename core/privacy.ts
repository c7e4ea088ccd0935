// An employee's privacy and cookie choices (Settings → Privacy), kept as JSON in "user"."privacy".
// Strictly necessary cookies (session, CSRF) are not a choice and are not stored here.
import { z } from 'zod'

/** A stored value that is missing or malformed falls back to its default, each switch on its own. */
const flag = (fallback: boolean) => z.boolean().default(fallback).catch(fallback)

export const PrivacySettingsSchema = z.object({
  /** Keep language and theme in cookies on this device; off clears them. */
  rememberPreferences: flag(true),
  /** Anonymous usage statistics; opt-in. */
  analytics: flag(false),
  /** Let colleagues see whether this user is online. */
  showPresence: flag(true),
})
export type PrivacySettings = z.infer<typeof PrivacySettingsSchema>
export type PrivacySetting = keyof PrivacySettings

export const privacySettingKeys = Object.keys(PrivacySettingsSchema.shape) as PrivacySetting[]

export const defaultPrivacySettings: PrivacySettings = PrivacySettingsSchema.parse({})

/** Reads the column (an object from jsonb, or JSON text); anything unreadable means the defaults. */
export function parsePrivacySettings(value: unknown): PrivacySettings {
  let raw = value
  if (typeof raw === 'string') {
    try {
      raw = JSON.parse(raw)
    } catch {
      raw = {}
    }
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ...defaultPrivacySettings }
  return PrivacySettingsSchema.parse(raw)
}
