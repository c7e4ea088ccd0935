// Where attachment bytes live, behind one interface: the local disk by default, any S3-compatible
// service (S3, MinIO, …) when ATTACHMENT_STORAGE=s3 (core/env.ts). Keys are opaque
// ('<organization>/<uuid>'); metadata and authorization stay in the database (attachment table).
import type { Readable } from 'node:stream'
import type { WebEnv } from '#core/env.ts'
import { createLocalStorage } from './local.ts'
import { createS3Storage } from './s3.ts'

export type ObjectStorage = {
  readonly kind: 'local' | 's3'
  put: (key: string, data: Buffer, contentType: string) => Promise<void>
  /** The object's bytes, or null when there is no such object. */
  get: (key: string) => Promise<{ body: Readable; size: number } | null>
  delete: (key: string) => Promise<void>
}

export function createStorage(
  env: Pick<
    WebEnv,
    | 'ATTACHMENT_STORAGE'
    | 'ATTACHMENT_DIR'
    | 'S3_ENDPOINT'
    | 'S3_REGION'
    | 'S3_BUCKET'
    | 'S3_ACCESS_KEY_ID'
    | 'S3_SECRET_ACCESS_KEY'
    | 'S3_FORCE_PATH_STYLE'
  >,
): ObjectStorage {
  if (env.ATTACHMENT_STORAGE === 's3') {
    return createS3Storage({
      endpoint: env.S3_ENDPOINT,
      region: env.S3_REGION,
      bucket: env.S3_BUCKET!,
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: env.S3_SECRET_ACCESS_KEY,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
    })
  }
  return createLocalStorage({ dir: env.ATTACHMENT_DIR })
}
