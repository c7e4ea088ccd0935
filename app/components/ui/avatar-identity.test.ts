import { describe, expect, it } from 'vitest'
import { avatarHues, getAvatarHue, getInitials } from '#app/components/ui/avatar-identity.ts'

describe('getInitials', () => {
  it.each([
    ['Анна Иванова', 'АИ'],
    ['Анна Сергеевна Иванова', 'АИ'],
    ['alice smith', 'AS'],
    ['Alice', 'A'],
    ['alice@x.com', 'A'],
    ['  борис.петров@corp.ru ', 'Б'],
    ['(Ольга) «Котова»', 'ОК'],
    ['🐱 Kitty', 'K'],
    ['Ёжик в тумане', 'ЁТ'],
  ])('%s → %s', (name, initials) => {
    expect(getInitials(name)).toBe(initials)
  })

  it('is empty for names without letters, so the avatar shows an icon', () => {
    expect(getInitials('')).toBe('')
    expect(getInitials('   ')).toBe('')
    expect(getInitials('—')).toBe('')
  })
})

describe('getAvatarHue', () => {
  it('gives the same person the same color every time', () => {
    expect(getAvatarHue('user-42')).toBe(getAvatarHue('user-42'))
    expect(getAvatarHue('Анна Иванова')).toBe(getAvatarHue('Анна Иванова'))
  })

  it('only returns the accessible palette hues', () => {
    for (let i = 0; i < 100; i++) {
      expect(avatarHues).toContain(getAvatarHue(`person-${i}`))
    }
  })

  it('spreads people over the palette, including ids that differ by one character', () => {
    const counts = new Map<number, number>()
    const people = 240
    for (let i = 0; i < people; i++) {
      const hue = getAvatarHue(`user-${i}`)
      counts.set(hue, (counts.get(hue) ?? 0) + 1)
    }
    expect(counts.size).toBe(avatarHues.length)
    // 20 per hue on average; no hue takes more than twice its share.
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(40)
    expect(getAvatarHue('user-1')).not.toBe(getAvatarHue('user-2'))
  })
})
