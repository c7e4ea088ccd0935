import { randomBytes } from 'node:crypto'
import type { NextFunction, Request, Response } from 'express'
import helmet from 'helmet'

/** Secure headers; in production a nonce-based CSP (Vite's dev server injects inline scripts, so dev skips CSP). */
export function securityHeaders(options: { isProduction: boolean }) {
  const withHelmet = helmet({
    contentSecurityPolicy: options.isProduction
      ? {
          directives: {
            'default-src': ["'self'"],
            'script-src': ["'self'", (_req, res) => `'nonce-${(res as Response).locals.nonce}'`],
            'style-src': ["'self'", "'unsafe-inline'"],
            'img-src': ["'self'", 'data:', 'blob:'],
            'media-src': ["'self'", 'blob:'],
            'connect-src': ["'self'", 'ws:', 'wss:'],
            'frame-ancestors': ["'none'"],
            'form-action': ["'self'"],
            'upgrade-insecure-requests': null,
          },
        }
      : false,
    crossOriginEmbedderPolicy: false,
    // Invite codes live in URLs: never leak them to other sites. ("no-referrer" would also make
    // browsers send `Origin: null` on our own form posts, which the CSRF check refuses.)
    referrerPolicy: { policy: 'same-origin' },
    // Camera, microphone and screen capture are the product; everything else stays off.
    permittedCrossDomainPolicies: false,
  })
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.nonce = randomBytes(16).toString('base64')
    res.setHeader(
      'Permissions-Policy',
      'camera=(self), microphone=(self), display-capture=(self), geolocation=()',
    )
    withHelmet(req, res, next)
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF defence in depth: cookies are SameSite=Lax, and any state-changing request whose Origin is not
 * this server's own origin is refused.
 */
export function sameOriginOnly(options: { allowedOrigins: string[] }) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next()
    const origin = req.get('origin')
    if (!origin) return next()
    const own = `${req.protocol}://${req.get('host')}`
    if (origin === own || options.allowedOrigins.includes(origin)) return next()
    res.status(403).type('text/plain').send('Cross-origin request refused')
  }
}
