import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from 'socket.io'
import { io as connect, type Socket } from 'socket.io-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { MessengerMessage } from '#core/protocol/messenger.ts'
import { socketRooms } from '#core/protocol/signaling.ts'
import type { AppContext } from '#server/app-context.ts'
import type { IoServer } from '#server/socket/types.ts'
import { messengerMessage, TEST_CONVERSATION_ID } from '#tests/fixtures/messenger-message.ts'
import { announceMessage } from './fanout.ts'

// A real socket.io server and client: what matters is the order and grouping of what arrives.
let server: http.Server
let io: IoServer
let client: Socket
let received: Array<{ event: string; seqs: number[]; body?: string }>

beforeEach(async () => {
  server = http.createServer()
  io = new Server(server) as unknown as IoServer
  io.on('connection', (socket) => void socket.join(socketRooms.conversation(TEST_CONVERSATION_ID)))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  received = []
  client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true })
  client.onAny(
    (event: string, payload: { message?: MessengerMessage; messages?: MessengerMessage[] }) => {
      const messages = payload.messages ?? (payload.message ? [payload.message] : [])
      received.push({ event, seqs: messages.map((m) => m.seq), body: payload.message?.body })
    },
  )
  await new Promise<void>((resolve) => client.once('connect', () => resolve()))
  // The server side joins the room on connection; one round trip later it surely has.
  await new Promise((resolve) => setTimeout(resolve, 20))
})

afterEach(async () => {
  client.close()
  await new Promise<void>((resolve) => io.close(() => resolve()))
})

const app = {} as AppContext // only @mention notifications read it; none here
const post = (seq: number) => announceMessage({ app, io, message: messengerMessage(seq) })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const waitForCount = async (count: number) => {
  for (let waited = 0; received.length < count && waited < 2000; waited += 5) await sleep(5)
}

describe('messenger frames', () => {
  it('sends a quiet conversation’s message at once and gathers what follows within 10 ms', async () => {
    await post(1)
    await sleep(2)
    for (const seq of [3, 2, 4]) await post(seq)
    await waitForCount(2)
    expect(received).toEqual([
      { event: 'messenger:message', seqs: [1], body: 'message 1' },
      { event: 'messenger:messageBatch', seqs: [2, 3, 4] },
    ])
  })

  it('lets no update overtake the new message it may change', async () => {
    await post(1)
    await sleep(2)
    await post(2)
    // Message 2 waits for its frame; its edit must not arrive first.
    await announceMessage({
      app,
      io,
      message: messengerMessage(2, { body: 'edited' }),
      event: 'messenger:messageUpdated',
    })
    await waitForCount(3)
    expect(received.map(({ event, seqs }) => [event, seqs])).toEqual([
      ['messenger:message', [1]],
      ['messenger:message', [2]],
      ['messenger:messageUpdated', [2]],
    ])
  })
})
