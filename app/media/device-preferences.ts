import { z } from 'zod'

// Chosen at pre-join, read again by the meeting room: which devices, and whether they start on.
const STORAGE_KEY = 'vstrecha:devices'

export const DevicePreferencesSchema = z.object({
  cameraId: z.string().optional(),
  microphoneId: z.string().optional(),
  speakerId: z.string().optional(),
  isCameraOn: z.boolean().default(true),
  isMicrophoneOn: z.boolean().default(true),
})
export type DevicePreferences = z.infer<typeof DevicePreferencesSchema>

export function loadDevicePreferences(): DevicePreferences {
  try {
    return DevicePreferencesSchema.parse(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}'))
  } catch {
    return DevicePreferencesSchema.parse({})
  }
}

export function saveDevicePreferences(preferences: DevicePreferences): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences))
  } catch {
    // Private mode or full storage: the room falls back to defaults.
  }
}
