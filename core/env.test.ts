import { describe, expect, it } from 'vitest'
import { EnvError, MediaNodeEnvSchema, parseEnv, WebEnvSchema } from './env.ts'

describe('parseEnv', () => {
  it('works with no configuration at all (local defaults)', () => {
    const env = parseEnv(WebEnvSchema, 'web', {})
    expect(env.PORT).toBe(3000)
    expect(env.PUBLIC_URL).toBe('http://localhost:3000')
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\//)
  })

  it('derives an https PUBLIC_URL when HTTPS is on', () => {
    expect(parseEnv(WebEnvSchema, 'web', { HTTPS: 'true', PORT: '8443' }).PUBLIC_URL).toBe(
      'https://localhost:8443',
    )
  })

  it('lists every invalid variable at once', () => {
    try {
      parseEnv(WebEnvSchema, 'web', {
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        AUTH_SECRET: 'short',
      })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError)
      const { problems, message } = error as EnvError
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
        'AUTH_SECRET',
        'DATABASE_URL',
        'PORT',
      ])
      expect(message).toContain('Invalid environment for web')
    }
  })

  it('refuses the development secret in production', () => {
    expect(() => parseEnv(WebEnvSchema, 'web', { NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/)
  })

  it('treats empty values as unset', () => {
    expect(parseEnv(WebEnvSchema, 'web', { PORT: '' }).PORT).toBe(3000)
  })

  it('checks the media port range', () => {
    expect(() =>
      parseEnv(MediaNodeEnvSchema, 'media-node', {
        MEDIASOUP_WORKER_BIN: '/bin/true',
        MEDIA_RTC_MIN_PORT: '50000',
        MEDIA_RTC_MAX_PORT: '40000',
      }),
    ).toThrow(/MEDIA_RTC_MAX_PORT/)
  })
})
