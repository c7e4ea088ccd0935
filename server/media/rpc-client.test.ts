import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { verifyMediaRpcRequest } from '#core/media-rpc-auth.ts'
import { createLogger } from '#core/logger.ts'
import { callMedia, createMediaRpcClient, type MediaNodeAddress } from './rpc-client.ts'

const secret = 'test-secret-test-secret-test-secret-0123'
const log = createLogger({ name: 'test', level: 'silent', pretty: false })
const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
})

/** A stand-in media-node answering every request with `answer(path, body)`. */
async function fakeNode(
  answer: (path: string, body: string, verified: string) => { status: number; body: string } | null,
): Promise<MediaNodeAddress> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const verified = verifyMediaRpcRequest({
        secret,
        method: (req.url ?? '').split('/').pop() ?? '',
        body,
        timestamp: req.headers['x-vstrecha-timestamp'] as string | undefined,
        signature: req.headers['x-vstrecha-signature'] as string | undefined,
      })
      const reply = answer(req.url ?? '', body, verified)
      if (!reply) return // never answers
      res.writeHead(reply.status, { 'content-type': 'application/json' })
      res.end(reply.body)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { id: 'fake', httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }
}

const request = { roomId: 'room-1', peerId: 'peer-1', producerId: 'producer-1' }

describe('media RPC client', () => {
  it('POSTs the signed request to /rpc/<method> and returns the node ack', async () => {
    const seen: string[] = []
    const node = await fakeNode((path, body, verified) => {
      seen.push(path, body, verified)
      return { status: 200, body: JSON.stringify({ ok: true, data: {} }) }
    })
    const client = createMediaRpcClient({ secret, log })
    expect(await client.call(node, 'pauseProducer', request)).toEqual({ ok: true, data: {} })
    expect(seen).toEqual(['/rpc/pauseProducer', JSON.stringify(request), 'ok'])
  })

  it("passes the node's error acks through, and callMedia throws them as AppErrors", async () => {
    const node = await fakeNode(() => ({
      status: 200,
      body: JSON.stringify({ ok: false, code: 'NOT_FOUND', message: 'producer not found' }),
    }))
    const client = createMediaRpcClient({ secret, log })
    expect(await client.call(node, 'pauseProducer', request)).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'producer not found',
    })
    await expect(callMedia(client, node, 'pauseProducer', request)).rejects.toMatchObject({
      name: 'AppError',
      code: 'NOT_FOUND',
    })
  })

  it('turns a refusal, a non-ack body, an unreachable node and a timeout into INTERNAL', async () => {
    const client = createMediaRpcClient({ secret: 'a-different-secret-of-32-characters!!', log })
    const refusing = await fakeNode((_path, _body, verified) =>
      verified === 'ok' ? null : { status: 401, body: JSON.stringify({ error: 'unauthorized' }) },
    )
    expect(await client.call(refusing, 'pauseProducer', request)).toEqual({
      ok: false,
      code: 'INTERNAL',
      message: 'The media server refused the request',
    })
    const garbled = await fakeNode(() => ({ status: 200, body: '<html>' }))
    expect(await client.call(garbled, 'pauseProducer', request)).toMatchObject({
      code: 'INTERNAL',
      message: 'The media server gave an unreadable answer',
    })
    const gone = { id: 'gone', httpUrl: 'http://127.0.0.1:1' }
    expect(await client.call(gone, 'pauseProducer', request)).toMatchObject({
      code: 'INTERNAL',
      message: 'The media server is unreachable',
    })
    const silent = await fakeNode(() => null)
    const impatient = createMediaRpcClient({ secret, log, timeoutMs: 100 })
    expect(await impatient.call(silent, 'pauseProducer', request)).toMatchObject({
      code: 'INTERNAL',
      message: 'The media server did not answer in time',
    })
  })

  it('times out a node that sends its headers but never the end of the answer', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"ok":')
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const node = {
      id: 'slow',
      httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    }
    const client = createMediaRpcClient({ secret, log, timeoutMs: 100 })
    expect(await client.call(node, 'pauseProducer', request)).toMatchObject({
      code: 'INTERNAL',
      message: 'The media server did not answer in time',
    })
  })

  it('reuses one connection for calls one after another (keep-alive)', async () => {
    const node = await fakeNode(() => ({
      status: 200,
      body: JSON.stringify({ ok: true, data: {} }),
    }))
    const server = servers.at(-1)!
    let connections = 0
    server.on('connection', () => (connections += 1))
    const client = createMediaRpcClient({ secret, log })
    for (let i = 0; i < 5; i += 1) {
      expect(await client.call(node, 'pauseProducer', request)).toEqual({ ok: true, data: {} })
    }
    expect(connections).toBe(1)
  })

  it('sends a call again on a fresh connection when the node closed the kept-alive one meanwhile', async () => {
    // Each connection answers its first call and drops the next unread, as a node does when its
    // idle timer fires just as the call arrives.
    const server = createServer((req, res) => {
      const socket = req.socket as typeof req.socket & { calls?: number }
      socket.calls = (socket.calls ?? 0) + 1
      if (socket.calls > 1) return socket.destroy()
      req.resume()
      req.on('end', () => res.end(JSON.stringify({ ok: true, data: {} })))
    })
    servers.push(server)
    let connections = 0
    server.on('connection', () => (connections += 1))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const node = {
      id: 'idle',
      httpUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    }
    const client = createMediaRpcClient({ secret, log })
    for (let call = 1; call <= 3; call += 1) {
      expect(await client.call(node, 'pauseProducer', request)).toEqual({ ok: true, data: {} })
    }
    expect(connections).toBe(3)
  })
})
