// Attachment upload and download over HTTP (the protocol is in core/protocol/messenger.ts). Both
// need the better-auth session cookie; the global sameOriginOnly middleware already refuses
// cross-site POSTs (docs/decisions/0005-security-baseline.md). Downloads are authorized in the
// database for every request, and nothing but a safe raster image is ever rendered by the browser.
import { fromNodeHeaders } from 'better-auth/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import { AppError, isAppError } from '#core/errors.ts'
import { ATTACHMENT_NAME_HEADER } from '#core/protocol/messenger.ts'
import type { AppContext } from '#server/app-context.ts'
import { createAttachment, findReadableAttachment } from '#server/services/attachments.ts'
import type { ObjectStorage } from '#server/storage/index.ts'

/** Served with every attachment: nothing in it runs, even if a browser were to render it. */
const ATTACHMENT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"

function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** Errors answered with 413 rather than their code's usual status. */
const tooLargeErrors = new WeakSet<AppError>()

function sendError(res: Response, error: AppError) {
  if (error.retryAfter) res.setHeader('Retry-After', String(error.retryAfter))
  const status = tooLargeErrors.has(error) ? 413 : error.status
  res.status(status).json({ code: error.code, message: error.message })
}

export function createAttachmentRoutes(options: {
  app: AppContext
  storage: ObjectStorage
}): express.Router {
  const { app, storage } = options
  const maxBytes = app.env.ATTACHMENT_MAX_BYTES
  const maxMb = Math.round((maxBytes / 1024 / 1024) * 10) / 10
  const tooLarge = () => {
    const error = new AppError('BAD_REQUEST', `The file is larger than ${maxMb} MB`)
    tooLargeErrors.add(error)
    return error
  }
  const router = express.Router()

  const requireUser = async (req: Request) => {
    const session = await app.auth.api.getSession({ headers: fromNodeHeaders(req.headers) })
    if (!session) throw new AppError('UNAUTHORIZED', 'Sign in first')
    return session.user
  }

  const handle =
    (fn: (req: Request, res: Response) => Promise<void>) =>
    (req: Request, res: Response, next: NextFunction) => {
      fn(req, res).catch((error: unknown) => {
        if (isAppError(error)) return sendError(res, error)
        next(error)
      })
    }

  router.post(
    '/api/attachments',
    handle(async (req, res) => {
      const user = await requireUser(req)
      const declared = Number(req.headers['content-length'] ?? NaN)
      if (declared > maxBytes) {
        // Refuse before reading; close the connection so the client stops sending.
        res.setHeader('Connection', 'close')
        return sendError(res, tooLarge())
      }
      await app.rateLimits.consume('attachmentUpload', user.id)
      const data = await readBody(req, maxBytes).catch((error: unknown) => {
        if (error === TOO_LARGE) {
          res.setHeader('Connection', 'close')
          throw tooLarge()
        }
        throw error
      })
      const rawName = String(req.headers[ATTACHMENT_NAME_HEADER] ?? 'file')
      let name: string
      try {
        name = decodeURIComponent(rawName)
      } catch {
        name = rawName
      }
      const attachment = await createAttachment({
        db: app.db,
        storage,
        log: req.log,
        userId: user.id,
        name,
        data,
      })
      res.status(201).json({ attachment })
    }),
  )

  const download = (variant: 'file' | 'thumbnail') =>
    handle(async (req, res) => {
      const user = await requireUser(req)
      const attachment = await findReadableAttachment({
        db: app.db,
        userId: user.id,
        attachmentId: String(req.params.id),
      })
      const key = variant === 'file' ? attachment?.storageKey : attachment?.thumbnailKey
      if (!attachment || !key) throw new AppError('NOT_FOUND', 'File not found')
      const object = await storage.get(key)
      if (!object) throw new AppError('NOT_FOUND', 'File not found')
      const isInline = variant === 'thumbnail' || attachment.isInline
      res.setHeader('X-Content-Type-Options', 'nosniff')
      res.setHeader('Content-Security-Policy', ATTACHMENT_CSP)
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
      res.setHeader('Cache-Control', 'private, max-age=3600')
      res.setHeader(
        'Content-Type',
        variant === 'thumbnail'
          ? 'image/webp'
          : isInline
            ? attachment.mime
            : 'application/octet-stream',
      )
      res.setHeader(
        'Content-Disposition',
        contentDisposition(isInline ? 'inline' : 'attachment', attachment.name),
      )
      if (object.size) res.setHeader('Content-Length', String(object.size))
      object.body.on('error', (error) => {
        req.log.error({ err: error }, 'reading an attachment failed')
        res.destroy(error)
      })
      object.body.pipe(res)
    })

  router.get('/api/attachments/:id', download('file'))
  router.get('/api/attachments/:id/thumbnail', download('thumbnail'))
  return router
}

const TOO_LARGE = Symbol('too large')

/** The request body, refusing (TOO_LARGE) as soon as it passes `limit` bytes. */
function readBody(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        req.off('data', onData)
        req.resume()
        reject(TOO_LARGE)
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
