// One receiver process (see rtp-receivers.ts). The message handler is the hot path: it reads two
// header fields and touches one map entry per packet.
import { createSocket, type Socket } from 'node:dgram'
import { once } from 'node:events'
import { serveParent } from './child-process.ts'
import { isRtcp, SequenceCounter } from './rtp.ts'
import type { ReceiverReport } from './rtp-receivers.ts'

const counter = new SequenceCounter()
const sockets: Socket[] = []
let totalPackets = 0
let totalBytes = 0
let bytesAtMark = 0
let rtcpPackets = 0
let rtcpAtMark = 0

function onMessage(packet: Buffer): void {
  totalPackets += 1
  totalBytes += packet.length
  if (isRtcp(packet)) {
    rtcpPackets += 1
    return
  }
  counter.add(packet)
}

export const handlers = {
  async bind(params: {
    ip: string
    sockets: number
    receiveBufferBytes: number
  }): Promise<{ ports: number[] }> {
    for (let i = 0; i < params.sockets; i++) {
      const socket = createSocket({ type: 'udp4', recvBufferSize: params.receiveBufferBytes })
      socket.on('message', onMessage)
      socket.bind(0, params.ip)
      await once(socket, 'listening')
      sockets.push(socket)
    }
    return { ports: sockets.map((socket) => socket.address().port) }
  },

  mark(): void {
    counter.mark()
    bytesAtMark = totalBytes
    rtcpAtMark = rtcpPackets
  },

  report(): ReceiverReport {
    const window = counter.window()
    return {
      ...window,
      totalPackets,
      totalBytes,
      // RTCP is small and rare next to media; its bytes stay in.
      bytes: totalBytes - bytesAtMark,
      rtcpPackets: rtcpPackets - rtcpAtMark,
      totalRtcpPackets: rtcpPackets,
    }
  },
}

serveParent(handlers)
