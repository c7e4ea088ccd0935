// Uploads one file to POST /api/attachments with XMLHttpRequest (fetch cannot report upload
// progress): the raw bytes as the body, the name in a header.
import {
  ATTACHMENT_NAME_HEADER,
  type AttachmentInfo,
  type AttachmentUploadResult,
} from '#core/protocol/messenger.ts'

export class UploadError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.status = status
  }
}

export type Upload = { promise: Promise<AttachmentInfo>; abort: () => void }

export function uploadAttachment(file: File, onProgress: (fraction: number) => void): Upload {
  const xhr = new XMLHttpRequest()
  const promise = new Promise<AttachmentInfo>((resolve, reject) => {
    xhr.open('POST', '/api/attachments')
    xhr.setRequestHeader(ATTACHMENT_NAME_HEADER, encodeURIComponent(file.name))
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.responseType = 'json'
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    }
    xhr.onload = () => {
      const body = xhr.response as (AttachmentUploadResult & { message?: string }) | null
      if (xhr.status >= 200 && xhr.status < 300 && body?.attachment) {
        onProgress(1)
        resolve(body.attachment)
      } else {
        reject(new UploadError(xhr.status, body?.message ?? xhr.statusText))
      }
    }
    xhr.onerror = () => reject(new UploadError(0, 'Network error'))
    xhr.onabort = () => reject(new UploadError(0, 'Aborted'))
    xhr.send(file)
  })
  return { promise, abort: () => xhr.abort() }
}

/** "1.2 MB" in the viewer's language. */
export function formatBytes(bytes: number, language: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return new Intl.NumberFormat(language, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value)
}
