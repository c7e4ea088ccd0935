// RTP sinks spread over several processes: each binds a few UDP sockets with large receive
// buffers and counts packets and sequence-number gaps per SSRC. An SFU's consumers are pointed at
// `endpoints` round-robin; many consumers can share a socket, since each has its own SSRC.
import os from 'node:os'
import type { BenchChild } from './child-process.ts'
import { forkBenchChild } from './child-process.ts'
import { readUdpDropsByPort, sumValues } from './proc.ts'
import type { SequenceWindow } from './rtp.ts'
import type * as ReceiverProcess from './rtp-receiver-process.ts'

type Handlers = typeof ReceiverProcess.handlers

/** SO_RCVBUF asked for; the kernel caps it at net.core.rmem_max (and then doubles it). */
export const RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024

export type ReceiverReport = SequenceWindow & {
  /** Since the sockets were bound. */
  totalPackets: number
  totalBytes: number
  /** Bytes since the mark. */
  bytes: number
  /** Packets since the mark that were not RTP (RTCP sender reports and the like). */
  rtcpPackets: number
  totalRtcpPackets: number
}

export type RtpReceivers = {
  pids: number[]
  endpoints: Array<{ ip: string; port: number }>
  /** Starts a measurement window in every process. */
  mark(): Promise<void>
  /** Sums over all processes; the window is since the last mark(). */
  report(): Promise<ReceiverReport>
  /** Kernel drops (full receive buffer) on the receivers' sockets since they were bound. */
  socketDrops(): number
  stop(): Promise<void>
}

export async function startRtpReceivers(options: {
  processes: number
  socketsPerProcess: number
  /**
   * Niceness of the receiver processes. On a machine with few cores, a positive value lets the
   * process under test have the CPU first; receivers that fall behind then show as socket drops.
   */
  nice?: number
  ip?: string
}): Promise<RtpReceivers> {
  const ip = options.ip ?? '127.0.0.1'
  const children: Array<BenchChild<Handlers>> = await Promise.all(
    Array.from({ length: options.processes }, () =>
      forkBenchChild<Handlers>(new URL('./rtp-receiver-process.ts', import.meta.url)),
    ),
  )
  for (const child of children) os.setPriority(child.pid, options.nice ?? 0)
  const ports: number[][] = await Promise.all(
    children.map(async (child) => {
      const bound = await child.call('bind', {
        ip,
        sockets: options.socketsPerProcess,
        receiveBufferBytes: RECEIVE_BUFFER_BYTES,
      })
      return bound.ports
    }),
  )
  // Interleaved across processes, so consecutive consumers land in different processes.
  const endpoints: Array<{ ip: string; port: number }> = []
  for (let socket = 0; socket < options.socketsPerProcess; socket++) {
    for (const processPorts of ports) endpoints.push({ ip, port: processPorts[socket]! })
  }
  const allPorts = ports.flat()
  return {
    pids: children.map((child) => child.pid),
    endpoints,
    async mark() {
      await Promise.all(children.map((child) => child.call('mark')))
    },
    async report() {
      const reports = await Promise.all(children.map((child) => child.call('report')))
      const sum = (key: keyof ReceiverReport) =>
        reports.reduce((total, report) => total + report[key], 0)
      return {
        received: sum('received'),
        expected: sum('expected'),
        lost: sum('lost'),
        streams: sum('streams'),
        streamsWithLoss: sum('streamsWithLoss'),
        totalPackets: sum('totalPackets'),
        totalBytes: sum('totalBytes'),
        bytes: sum('bytes'),
        rtcpPackets: sum('rtcpPackets'),
        totalRtcpPackets: sum('totalRtcpPackets'),
      }
    },
    socketDrops: () => sumValues(readUdpDropsByPort(allPorts)),
    async stop() {
      await Promise.all(children.map((child) => child.stop()))
    },
  }
}
