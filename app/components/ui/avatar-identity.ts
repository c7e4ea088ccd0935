/**
 * OKLCH hues for avatar backgrounds, 30° apart. At the fixed lightness and chroma used by
 * `Avatar` every one of them keeps white initials above 4.5:1 contrast.
 */
export const avatarHues = [0, 30, 60, 90, 120, 150, 180, 210, 240, 270, 300, 330] as const

const letterOrDigit = /[\p{L}\p{N}]/u
const emailAddress = /^[^\s@]+@[^\s@]+$/

function firstLetter(word: string | undefined): string {
  return word?.match(letterOrDigit)?.[0] ?? ''
}

/**
 * "Анна Иванова" → "АИ", "Alice" → "A", "alice@x.com" → "A". Empty when the name has no letters,
 * so the caller can show an icon instead.
 */
export function getInitials(name: string): string {
  const trimmed = name.normalize('NFC').trim()
  if (emailAddress.test(trimmed)) return firstLetter(trimmed.split('@')[0]).toLocaleUpperCase()
  const words = trimmed.split(/\s+/).filter((word) => letterOrDigit.test(word))
  const last = words.length > 1 ? words.at(-1) : undefined
  return (firstLetter(words[0]) + firstLetter(last)).toLocaleUpperCase()
}

/** The same key always maps to the same hue, so a person keeps their color on every screen. */
export function getAvatarHue(key: string): number {
  // FNV-1a, then a murmur3 finalizer so nearby ids ("user-1", "user-2") land on unrelated hues.
  let hash = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return avatarHues[(hash >>> 0) % avatarHues.length] ?? avatarHues[0]
}
