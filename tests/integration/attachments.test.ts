// Attachments over HTTP with both storages: the local disk, and the S3 path against a real S3-API
// server (s3rver, listening on its own port). The type comes from the content, big files are
// refused, nothing but a raster image is ever rendered by the browser, and only people who may read
// the conversation download.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import type { AttachmentInfo } from '#core/protocol/messenger.ts'
import { connectPerson, signUpPerson, type Person } from '#tests/fixtures/messenger.ts'
import { getFreePort } from '#tests/fixtures/process.ts'
import { startStack, type Stack } from '#tests/fixtures/stack.ts'

type S3rverServer = { run: () => Promise<unknown>; close: () => Promise<unknown> }
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverServer
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor

const MAX_BYTES = 1024 * 1024
const BUCKET = 'vstrecha-attachments'

type Setup = {
  stack: Stack
  alice: Person
  bob: Person
  mallory: Person
  /** Keys of stored objects, straight from the storage. */
  storedKeys: () => Promise<string[]>
  stop: () => Promise<void>
}

async function startLocal(): Promise<Setup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vstrecha-attachments-'))
  const stack = await startStack({
    env: { ATTACHMENT_DIR: dir, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) },
  })
  const people = await signUpPeople(stack)
  return {
    stack,
    ...people,
    async storedKeys() {
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    },
    async stop() {
      await stack.stop()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function startS3(): Promise<Setup> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vstrecha-s3rver-'))
  const port = await getFreePort()
  const s3 = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: BUCKET, configs: [] }],
  })
  await s3.run()
  const endpoint = `http://127.0.0.1:${port}`
  const stack = await startStack({
    env: {
      ATTACHMENT_STORAGE: 's3',
      ATTACHMENT_MAX_BYTES: String(MAX_BYTES),
      S3_ENDPOINT: endpoint,
      S3_BUCKET: BUCKET,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
  })
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  })
  const people = await signUpPeople(stack)
  return {
    stack,
    ...people,
    async storedKeys() {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }))
      return (listed.Contents ?? []).map((object) => object.Key ?? '')
    },
    async stop() {
      await stack.stop()
      client.destroy()
      await s3.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function signUpPeople(stack: Stack) {
  const alice = await signUpPerson(stack, 'Alice Files')
  const bob = await signUpPerson(stack, 'Bob Files', alice.organizationId)
  const mallory = await signUpPerson(stack, 'Mallory Files')
  return { alice, bob, mallory }
}

async function upload(
  stack: Stack,
  person: Person | null,
  name: string,
  body: Buffer | string,
  headers: Record<string, string> = {},
) {
  return fetch(`${stack.baseUrl}/api/attachments`, {
    method: 'POST',
    headers: {
      ...(person ? { cookie: person.http.cookieHeader() } : {}),
      origin: stack.baseUrl,
      'x-file-name': encodeURIComponent(name),
      'content-type': 'application/octet-stream',
      ...headers,
    },
    body: typeof body === 'string' ? body : new Uint8Array(body),
  })
}

const download = (stack: Stack, person: Person | null, url: string) =>
  fetch(`${stack.baseUrl}${url}`, {
    headers: person ? { cookie: person.http.cookieHeader() } : {},
  })

const png = await sharp({
  create: { width: 800, height: 600, channels: 3, background: { r: 200, g: 30, b: 30 } },
})
  .png()
  .toBuffer()

describe.each([
  ['local disk', startLocal],
  ['S3 (s3rver)', startS3],
] as const)('attachments on %s', (_label, start) => {
  let setup: Setup
  beforeAll(async () => {
    setup = await start()
  })
  afterAll(() => setup?.stop())
  const showOutputOnFailure = () =>
    onTestFailed(() => console.error(`--- web ---\n${setup.stack.web.output().slice(-6000)}`))

  it('detects the type from the content, makes thumbnails, and serves only images inline', async () => {
    showOutputOnFailure()
    const { stack, alice, bob } = setup
    // A PNG under a misleading name is an image.
    const imageResponse = await upload(stack, alice, 'фото отпуска.txt', png)
    expect(imageResponse.status).toBe(201)
    const { attachment: image } = (await imageResponse.json()) as { attachment: AttachmentInfo }
    expect(image).toMatchObject({
      name: 'фото отпуска.txt',
      mime: 'image/png',
      isImage: true,
      isInline: true,
      width: 800,
      height: 600,
      size: png.length,
      hasThumbnail: true,
    })
    // HTML named like an image, and an SVG with a script: downloads, never rendered.
    const html = await upload(stack, alice, 'cat.png', '<html><script>alert(1)</script></html>')
    const { attachment: htmlFile } = (await html.json()) as { attachment: AttachmentInfo }
    expect(htmlFile).toMatchObject({ isImage: false, isInline: false, hasThumbnail: false })
    expect(htmlFile.mime).not.toMatch(/html|image/)
    const svgSource =
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
    const svg = await upload(stack, alice, 'logo.svg', svgSource)
    const { attachment: svgFile } = (await svg.json()) as { attachment: AttachmentInfo }
    expect(svgFile).toMatchObject({ isImage: false, isInline: false })

    // Posted to a conversation with bob, who downloads them.
    const a = await connectPerson(stack.baseUrl, alice)
    const { conversation } = await a.call('messenger:createDirect', { userId: bob.userId })
    const { message } = await a.call('messenger:post', {
      conversationId: conversation.id,
      body: 'files',
      idempotencyKey: randomUUID(),
      attachmentIds: [image.id, htmlFile.id, svgFile.id],
    })
    a.close()
    expect(message.attachments.map((item) => item.id)).toEqual([image.id, htmlFile.id, svgFile.id])

    const inline = await download(stack, bob, image.url)
    expect(inline.status).toBe(200)
    expect(inline.headers.get('content-type')).toBe('image/png')
    expect(inline.headers.get('content-disposition')).toMatch(/^inline;/)
    expect(inline.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await inline.arrayBuffer()).equals(png)).toBe(true)

    const thumbnail = await download(stack, bob, image.thumbnailUrl!)
    expect(thumbnail.status).toBe(200)
    expect(thumbnail.headers.get('content-type')).toBe('image/webp')
    const thumbnailMeta = await sharp(Buffer.from(await thumbnail.arrayBuffer())).metadata()
    expect(thumbnailMeta.format).toBe('webp')
    expect(Math.max(thumbnailMeta.width ?? 0, thumbnailMeta.height ?? 0)).toBe(320)

    for (const file of [htmlFile, svgFile]) {
      const response = await download(stack, bob, file.url)
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/octet-stream')
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('content-security-policy')).toMatch(/sandbox/)
    }
    const htmlBody = await (await download(stack, bob, htmlFile.url)).text()
    expect(htmlBody).toBe('<html><script>alert(1)</script></html>')
    // Bytes really are in this storage.
    const keys = await setup.storedKeys()
    expect(keys.some((key) => key.endsWith(image.id))).toBe(true)
    expect(keys.some((key) => key.endsWith(`${image.id}.thumb`))).toBe(true)
  })

  it('refuses oversized, empty, cross-site and anonymous uploads', async () => {
    const { stack, alice } = setup
    const big = Buffer.alloc(MAX_BYTES + 1, 7)
    const declared = await upload(stack, alice, 'big.bin', big)
    expect(declared.status).toBe(413)
    expect(await declared.json()).toMatchObject({ message: 'The file is larger than 1 MB' })
    // Without a Content-Length (chunked): refused while reading.
    const chunked = await fetch(`${stack.baseUrl}/api/attachments`, {
      method: 'POST',
      headers: {
        cookie: alice.http.cookieHeader(),
        origin: stack.baseUrl,
        'x-file-name': 'stream.bin',
      },
      body: new ReadableStream({
        start(controller) {
          for (let index = 0; index < 20; index += 1) controller.enqueue(new Uint8Array(100_000))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect((await upload(stack, alice, 'empty.txt', '')).status).toBe(400)
    expect((await upload(stack, null, 'anon.txt', 'hello')).status).toBe(401)
    const crossSite = await upload(stack, alice, 'csrf.txt', 'hello', {
      origin: 'https://evil.example',
    })
    expect(crossSite.status).toBe(403)
    const before = await setup.storedKeys()
    expect(before.some((key) => key.includes('big') || key.includes('csrf'))).toBe(false)
  })

  it('lets only the uploader and the conversation’s members download', async () => {
    const { stack, alice, bob, mallory } = setup
    const response = await upload(stack, alice, 'draft.txt', 'unposted draft')
    const { attachment } = (await response.json()) as { attachment: AttachmentInfo }
    // Not posted yet: only the uploader.
    expect((await download(stack, alice, attachment.url)).status).toBe(200)
    expect((await download(stack, bob, attachment.url)).status).toBe(404)
    expect((await download(stack, mallory, attachment.url)).status).toBe(404)
    expect((await download(stack, null, attachment.url)).status).toBe(401)
    expect((await download(stack, alice, `/api/attachments/${randomUUID()}`)).status).toBe(404)
    expect((await download(stack, alice, '/api/attachments/not-a-uuid')).status).toBe(404)
    expect((await download(stack, alice, attachment.url + '/thumbnail')).status).toBe(404)
  })
})
