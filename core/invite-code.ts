import { randomBytes } from 'node:crypto'
import { z } from 'zod'

/** 18 random bytes = 144 bits, 24 URL-safe characters: not guessable, short enough to read out. */
export function generateInviteCode(): string {
  return randomBytes(18).toString('base64url')
}

export const InviteCodeSchema = z.string().regex(/^[A-Za-z0-9_-]{24}$/)
