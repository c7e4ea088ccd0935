// Attachments: bytes in server/storage/, metadata in the attachment table. The type comes from the
// content (magic bytes), never from the name or the browser's Content-Type; only a short list of
// raster images is ever shown inline, everything else (HTML, SVG, PDF, unknown) is a download.
import { randomUUID } from 'node:crypto'
import { fileTypeFromBuffer } from 'file-type'
import sharp from 'sharp'
import type { Database } from '#core/db/client.ts'
import type { Attachment } from '#core/db/types.ts'
import { AppError } from '#core/errors.ts'
import type { Logger } from '#core/logger.ts'
import type { AttachmentInfo } from '#core/protocol/messenger.ts'
import type { ObjectStorage } from '#server/storage/index.ts'
import { getUserOrganizationId, inUserOrganization, toAttachmentInfo } from './messenger.ts'

/** Raster formats browsers decode without running anything; shown inline with a thumbnail. */
const INLINE_IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
export const THUMBNAIL_MAX_PX = 320
/** Images with more pixels than this are stored as plain files (no decoding bombs). */
const MAX_IMAGE_PIXELS = 50_000_000

export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? ''
  // Control characters and bidi overrides make names lie about their extension.
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim()
    .slice(0, 255)
  return cleaned || 'file'
}

export async function sniffType(data: Buffer): Promise<{ mime: string; isImage: boolean }> {
  const detected = await fileTypeFromBuffer(data)
  if (detected) return { mime: detected.mime, isImage: INLINE_IMAGE_TYPES.has(detected.mime) }
  // No magic bytes: text of some kind (HTML and SVG included) or unknown binary.
  const head = data.subarray(0, 4096)
  const isText = !head.includes(0)
  return { mime: isText ? 'text/plain' : 'application/octet-stream', isImage: false }
}

/** Stores an upload; it belongs to the uploader until posted with a message. */
export async function createAttachment(options: {
  db: Database
  storage: ObjectStorage
  log: Logger
  userId: string
  name: string
  data: Buffer
}): Promise<AttachmentInfo> {
  const { db, storage, userId, data } = options
  if (data.length === 0) throw new AppError('BAD_REQUEST', 'The file is empty')
  const name = cleanFileName(options.name)
  const organizationId = await getUserOrganizationId({ db, userId })
  let { mime, isImage } = await sniffType(data)
  let width: number | null = null
  let height: number | null = null
  let thumbnail: Buffer | null = null
  if (isImage) {
    try {
      const image = sharp(data, { limitInputPixels: MAX_IMAGE_PIXELS })
      const metadata = await image.metadata()
      width = metadata.width ?? null
      height = metadata.height ?? null
      thumbnail = await sharp(data, { limitInputPixels: MAX_IMAGE_PIXELS, animated: false })
        .rotate()
        .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer()
    } catch (error) {
      // Looks like an image but does not decode: keep it as a plain download.
      options.log.info({ err: error, mime }, 'image did not decode; stored as a file')
      isImage = false
      mime = 'application/octet-stream'
      width = null
      height = null
      thumbnail = null
    }
  }
  const id = randomUUID()
  const storageKey = `${organizationId ?? 'guests'}/${id}`
  const thumbnailKey = thumbnail ? `${storageKey}.thumb` : null
  await storage.put(storageKey, data, isImage ? mime : 'application/octet-stream')
  if (thumbnail && thumbnailKey) await storage.put(thumbnailKey, thumbnail, 'image/webp')
  const row = await db
    .insertInto('attachment')
    .values({
      id,
      organizationId,
      uploaderId: userId,
      name,
      size: data.length,
      mime,
      isImage,
      isInline: isImage,
      width,
      height,
      storageKey,
      thumbnailKey,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return toAttachmentInfo(row)
}

/**
 * The attachment if `userId` may read it: its uploader, or a member of a conversation where a
 * (not deleted) message carries it. Anything else — another organization, a guessed id — is null.
 */
export async function findReadableAttachment(options: {
  db: Database
  userId: string
  attachmentId: string
}): Promise<Attachment | null> {
  const { db, userId, attachmentId } = options
  if (!/^[0-9a-f-]{36}$/i.test(attachmentId)) return null
  const row = await db
    .selectFrom('attachment')
    .selectAll()
    .where('attachment.id', '=', attachmentId)
    .where((eb) =>
      eb.or([
        eb('attachment.uploaderId', '=', userId),
        eb.exists(
          eb
            .selectFrom('messageAttachment')
            .innerJoin('message', 'message.id', 'messageAttachment.messageId')
            .innerJoin('conversation', 'conversation.id', 'message.conversationId')
            .innerJoin('conversationMember', (join) =>
              join
                .onRef('conversationMember.conversationId', '=', 'message.conversationId')
                .on('conversationMember.userId', '=', userId),
            )
            .select('messageAttachment.messageId')
            .whereRef('messageAttachment.attachmentId', '=', 'attachment.id')
            .where('message.deletedAt', 'is', null)
            .where(inUserOrganization(userId)),
        ),
      ]),
    )
    .executeTakeFirst()
  return row ?? null
}
