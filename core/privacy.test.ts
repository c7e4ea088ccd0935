import { describe, expect, it } from 'vitest'
import { defaultPrivacySettings, parsePrivacySettings, privacySettingKeys } from './privacy.ts'

describe('parsePrivacySettings', () => {
  it('gives the defaults for a user who never chose anything', () => {
    expect(parsePrivacySettings({})).toEqual({
      rememberPreferences: true,
      analytics: false,
      showPresence: true,
    })
    expect(defaultPrivacySettings).toEqual(parsePrivacySettings({}))
  })

  it('keeps stored choices', () => {
    expect(
      parsePrivacySettings({ rememberPreferences: false, analytics: true, showPresence: false }),
    ).toEqual({
      rememberPreferences: false,
      analytics: true,
      showPresence: false,
    })
  })

  it('falls back per switch when one value is malformed', () => {
    expect(parsePrivacySettings({ analytics: 'yes', showPresence: false })).toEqual({
      rememberPreferences: true,
      analytics: false,
      showPresence: false,
    })
  })

  it('drops unknown keys', () => {
    expect(parsePrivacySettings({ analytics: true, tracking: true })).not.toHaveProperty('tracking')
  })

  it('reads JSON text and treats garbage as the defaults', () => {
    expect(parsePrivacySettings('{"analytics":true}').analytics).toBe(true)
    for (const value of [null, undefined, 'not json', '[]', [], 42]) {
      expect(parsePrivacySettings(value)).toEqual(defaultPrivacySettings)
    }
  })

  it('does not hand out the shared defaults object', () => {
    const settings = parsePrivacySettings(null)
    settings.analytics = true
    expect(defaultPrivacySettings.analytics).toBe(false)
  })
})

it('lists every switch once', () => {
  expect(privacySettingKeys).toEqual(['rememberPreferences', 'analytics', 'showPresence'])
})
