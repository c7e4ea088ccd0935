// Every string must exist in both languages: a key missing in one of them fails here.
import { describe, expect, it } from 'vitest'
import { languageFromAcceptLanguage, resources, supportedLanguages } from './config.ts'

type Tree = { [key: string]: string | Tree }

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [leaf, text] of leaves(value, path)) out.set(leaf, text)
  }
  return out
}

const placeholders = (text: string) =>
  [...text.matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort()

describe('translations', () => {
  const [first, ...others] = supportedLanguages
  const reference = leaves(resources[first] as unknown as Tree)

  it.each(others)('%s has exactly the keys of ' + first, (language) => {
    const keys = leaves(resources[language] as unknown as Tree)
    expect([...keys.keys()].sort()).toEqual([...reference.keys()].sort())
  })

  it.each(supportedLanguages)('%s has no empty strings', (language) => {
    for (const [key, text] of leaves(resources[language] as unknown as Tree))
      expect(text.trim(), key).not.toBe('')
  })

  it.each(others)('%s uses the same {{placeholders}} as ' + first, (language) => {
    for (const [key, text] of leaves(resources[language] as unknown as Tree)) {
      expect(placeholders(text), key).toEqual(placeholders(reference.get(key) ?? ''))
    }
  })
})

describe('languageFromAcceptLanguage', () => {
  it('picks the best supported language by quality', () => {
    expect(languageFromAcceptLanguage('ru-RU,ru;q=0.9,en;q=0.8')).toBe('ru')
    expect(languageFromAcceptLanguage('de-DE,en;q=0.5,ru;q=0.7')).toBe('ru')
    expect(languageFromAcceptLanguage('en-GB')).toBe('en')
  })
  it('falls back to English for missing or unsupported headers', () => {
    expect(languageFromAcceptLanguage(null)).toBe('en')
    expect(languageFromAcceptLanguage('de,fr;q=0.8')).toBe('en')
    expect(languageFromAcceptLanguage('ru;q=0')).toBe('en')
  })
})
