import { describe, expect, it } from 'vitest'
import { AppError, isAppError } from './errors.ts'

describe('isAppError', () => {
  it('recognises AppErrors, including ones from another copy of this module', () => {
    expect(isAppError(new AppError('NOT_FOUND', 'x'))).toBe(true)
    const foreign = Object.assign(new Error('x'), { name: 'AppError', code: 'RATE_LIMITED' })
    expect(isAppError(foreign)).toBe(true)
  })
  it('rejects other errors and look-alikes with unknown codes', () => {
    expect(isAppError(new Error('x'))).toBe(false)
    expect(isAppError(Object.assign(new Error('x'), { name: 'AppError', code: 'TEAPOT' }))).toBe(
      false,
    )
    expect(isAppError({ name: 'AppError', code: 'NOT_FOUND' })).toBe(false)
  })
  it('maps codes to HTTP statuses', () => {
    expect(new AppError('RATE_LIMITED', 'x', { retryAfter: 5 }).status).toBe(429)
    expect(new AppError('FORBIDDEN', 'x').status).toBe(403)
  })
})
