// The bare socket.io harness of the chat benchmark (bench/chat/fanout.ts): a plain socket.io
// server (default options, in-memory adapter, nothing else on the HTTP server) in a process of its
// own. Receivers (auth { role: 'receiver' }) join one room; every `post` from a sender is
// broadcast to it with `io.to(room).emit('messenger:message', payload)`, as is.
import http from 'node:http'
import { Server } from 'socket.io'
import { serveParent } from './child-process.ts'

const ROOM = 'channel'
let server: http.Server | undefined
let io: Server | undefined

export const handlers = {
  async listen() {
    server = http.createServer()
    io = new Server(server, { serveClient: false })
    const server_ = io
    io.on('connection', (socket) => {
      if ((socket.handshake.auth as { role?: string }).role === 'receiver') void socket.join(ROOM)
      socket.on('post', (payload: unknown) => {
        server_.to(ROOM).emit('messenger:message', payload)
      })
    })
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
    const address = server.address()
    if (!address || typeof address === 'string') throw new Error('no port')
    return { url: `http://127.0.0.1:${address.port}`, pid: process.pid }
  },
  async close() {
    await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()))
  },
}

serveParent(handlers)
