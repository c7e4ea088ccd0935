// The transports users' devices talk to: HTTPS with TLS 1.3 for LAN/phone testing, and the socket.io
// gateway that authenticates with the same session cookie as the pages.
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { io as connectSocket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMeeting, createOrganization, createUser } from '#tests/fixtures/factories.ts'
import { createHttpClient } from '#tests/fixtures/http-client.ts'
import { linkIn, startStack, type Stack } from '#tests/fixtures/stack.ts'

describe('HTTPS option', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack({
      env: { HTTPS: 'true', TLS_DIR: mkdtempSync(path.join(tmpdir(), 'vstrecha-tls-')) },
    })
  })
  afterAll(() => stack?.stop())

  const connect = (options: tls.ConnectionOptions) =>
    new Promise<tls.TLSSocket>((resolve, reject) => {
      const { port } = new URL(stack.baseUrl)
      const socket = tls.connect(
        {
          host: '127.0.0.1',
          port: Number(port),
          servername: 'localhost',
          rejectUnauthorized: false,
          ...options,
        },
        () => resolve(socket),
      )
      socket.once('error', reject)
    })

  it('serves TLS 1.3 with a generated certificate for localhost and the LAN addresses', async () => {
    const socket = await connect({})
    expect(socket.getProtocol()).toBe('TLSv1.3')
    const certificate = socket.getPeerCertificate()
    expect(certificate.subjectaltname).toContain('DNS:localhost')
    expect(certificate.subjectaltname).toMatch(/IP Address:127\.0\.0\.1/)
    socket.destroy()
  })

  it('refuses TLS 1.2', async () => {
    await expect(connect({ maxVersion: 'TLSv1.2' })).rejects.toThrow()
  })
})

describe('socket.io gateway', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(() => stack?.stop())

  const open = (cookie?: string) =>
    new Promise<{ connected: boolean; error?: string }>((resolve) => {
      const socket = connectSocket(stack.baseUrl, {
        transports: ['websocket'],
        extraHeaders: cookie ? { cookie } : {},
        reconnection: false,
      })
      socket.on('connect', () => {
        socket.disconnect()
        resolve({ connected: true })
      })
      socket.on('connect_error', (error) => resolve({ connected: false, error: error.message }))
    })

  it('refuses a connection without a session', async () => {
    expect(await open()).toEqual({ connected: false, error: 'UNAUTHORIZED' })
    expect(await open('vstrecha.session_token=forged.value')).toEqual({
      connected: false,
      error: 'UNAUTHORIZED',
    })
  })

  it('accepts a signed-in employee and a guest alike', async () => {
    const email = `socket-${Date.now()}@example.com`
    const employee = createHttpClient(stack.baseUrl)
    await employee.post('/signup', { name: 'Socket User', email, password: 'a strong passphrase' })
    await employee.get(linkIn(await stack.waitForMail(email)))
    expect(await open(employee.cookieHeader())).toEqual({ connected: true })

    const owner = await createUser(stack.database.db)
    const meeting = await createMeeting(stack.database.db, {
      organizationId: (await createOrganization(stack.database.db, owner)).id,
      organizerId: owner.id,
    })
    const guest = createHttpClient(stack.baseUrl)
    expect((await guest.post(`/m/${meeting.inviteCode}`, { name: 'Guest' })).status).toBe(302)
    expect(await open(guest.cookieHeader())).toEqual({ connected: true })
  })

  it('shuts down gracefully on SIGTERM: connected clients are let go and the process exits 0', async () => {
    const email = `shutdown-${Date.now()}@example.com`
    const employee = createHttpClient(stack.baseUrl)
    await employee.post('/signup', { name: 'Shutdown', email, password: 'a strong passphrase' })
    await employee.get(linkIn(await stack.waitForMail(email)))
    const socket = connectSocket(stack.baseUrl, {
      transports: ['websocket'],
      extraHeaders: { cookie: employee.cookieHeader() },
      reconnection: false,
    })
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()))
    const disconnected = new Promise((resolve) => socket.on('disconnect', resolve))
    expect(await stack.web.stop()).toEqual({ code: 0, signal: null })
    await disconnected
  })
})
