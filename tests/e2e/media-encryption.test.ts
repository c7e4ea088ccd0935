// Acceptance A3: media is encrypted on the wire. Two Chromium participants (fake camera and
// microphone) meet through web + media-node while tcpdump records every UDP datagram of the stack's
// media port range on loopback, from before anyone joins; tshark then reads the capture. A control
// case sends plain RTP through the same capture and checks, so they are shown to be able to fail.
//
// The plain-text marker: in an SRTP call the only readable identifier the media plane would carry is
// each sender's RTCP CNAME (RTCP SDES, RFC 3550 §6.5.1): mediasoup repeats the producer's CNAME in the
// reports it sends to every consumer, so it travels both ways. SRTCP encrypts it; plain RTCP would
// show it in clear text. Display names and invite codes travel over signaling (WebSocket/TCP) and
// never reach these UDP ports, so they could not fail the check and are not used. RTP header
// extensions (mid, rid, audio level) stay readable under SRTP by design (RFC 3711 §3.1): the
// capture shows e.g. mediasoup's bandwidth probe stream with its MID "probator" in clear.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createSocket, type Socket } from 'node:dgram'
import os from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { launchBrowser, screenshotOnFailure } from '#tests/fixtures/browser.ts'
import {
  createMeetingRooms,
  expectAudioFrom,
  type MeetingRooms,
} from '#tests/fixtures/meeting-room.ts'
import { startStack, type Stack } from '#tests/fixtures/stack.ts'
import {
  describeMediaWireReport,
  inspectMediaCapture,
  requireCaptureTools,
  SRTP_PROFILES,
  startCapture,
} from '#tests/fixtures/wire-capture.ts'

const ORGANIZER = 'Ольга Организатор'
const GUEST = 'Гость Петров'
/** Media after both sides hear and see each other, so the capture holds a steady call too. */
const STEADY_MEDIA_MS = 3_000
/** "Large numbers": a few seconds of 2× camera (simulcast) + 2× microphone are thousands of packets. */
const MIN_SRTP_PACKETS = 1_000

let stack: Stack
let browser: Browser
let rooms: MeetingRooms
let captureDir: string

beforeAll(async () => {
  requireCaptureTools()
  captureDir = mkdtempSync(path.join(os.tmpdir(), 'vstrecha-capture-'))
  ;[stack, browser] = await Promise.all([startStack({ media: true }), launchBrowser()])
  rooms = await createMeetingRooms({ stack, browser, organizerName: ORGANIZER })
})
afterAll(async () => {
  await browser?.close()
  await stack?.stop()
  if (captureDir) rmSync(captureDir, { recursive: true, force: true })
})

/** On failure the capture is kept in test-results/ for a look with Wireshark. */
function keepCaptureOnFailure(file: string) {
  onTestFailed(() => {
    mkdirSync('test-results', { recursive: true })
    const kept = path.join('test-results', path.basename(file))
    copyFileSync(file, kept)
    console.error(`capture kept in ${kept}`)
  })
}

/**
 * The RTCP CNAME of each connection that sends (from its local SDP; Chrome leaves
 * RTCRtpSender.getParameters().rtcp.cname empty). One per participant here.
 */
async function cnamesOf(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const connections = (window as unknown as { __peerConnections: RTCPeerConnection[] })
      .__peerConnections
    const sdp = connections.map((connection) => connection.localDescription?.sdp ?? '').join('\n')
    return [...sdp.matchAll(/^a=ssrc:\d+ cname:(\S+)/gm)].map((match) => match[1]!)
  })
}

/** RTP packets the page's connections sent and received so far, and keyframes they decoded. */
async function rtpCountsOf(page: Page): Promise<{ packets: number; keyFramesDecoded: number }> {
  return page.evaluate(async () => {
    const connections = (window as unknown as { __peerConnections: RTCPeerConnection[] })
      .__peerConnections
    const counts = { packets: 0, keyFramesDecoded: 0 }
    for (const connection of connections) {
      for (const report of (await connection.getStats()).values()) {
        if (report.type === 'inbound-rtp') {
          counts.packets += report.packetsReceived ?? 0
          counts.keyFramesDecoded += report.keyFramesDecoded ?? 0
        }
        if (report.type === 'outbound-rtp') counts.packets += report.packetsSent ?? 0
      }
    }
    return counts
  })
}

describe('media on the wire (A3)', () => {
  it('a two-person meeting negotiates DTLS-SRTP and puts its media on the wire only as SRTP/SRTCP: no plain RTP, no readable keyframe or CNAME', async () => {
    const file = path.join(captureDir, 'media-encryption-meeting.pcap')
    keepCaptureOnFailure(file)
    // Before anyone joins: the DTLS handshakes are what tell tshark which flows are SRTP.
    const capture = await startCapture({ file, ports: stack.media!.rtcPorts })
    const { host, guest, close } = await rooms.twoInARoom(GUEST)
    let cnames: string[] = []
    let browsers = { rtpPackets: 0, keyFramesDecoded: 0 }
    await screenshotOnFailure(
      'media-encryption',
      () => [host.page, guest.page],
      async () => {
        await expectAudioFrom(host.page, GUEST)
        await expectAudioFrom(guest.page, ORGANIZER)
        await host.page.waitForTimeout(STEADY_MEDIA_MS)
        cnames = [...new Set([...(await cnamesOf(host.page)), ...(await cnamesOf(guest.page))])]
        const [hostRtp, guestRtp] = [await rtpCountsOf(host.page), await rtpCountsOf(guest.page)]
        browsers = {
          rtpPackets: hostRtp.packets + guestRtp.packets,
          keyFramesDecoded: hostRtp.keyFramesDecoded + guestRtp.keyFramesDecoded,
        }
      },
    )
    const summary = await capture.stop()
    await close()
    expect(host.problems).toEqual([])
    expect(guest.problems).toEqual([])

    const report = await inspectMediaCapture(file, {
      markers: cnames,
      mediaPorts: stack.media!.rtcPorts,
    })
    console.info(
      `A3 capture (${capture.filter} on lo): ${summary.captured} datagrams, ` +
        `${summary.droppedByKernel} dropped by the kernel, ${summary.bytes} bytes; the browsers ` +
        `counted ${browsers.rtpPackets} RTP packets sent + received and decoded ` +
        `${browsers.keyFramesDecoded} keyframes\n${describeMediaWireReport(report)}`,
    )

    expect(summary.droppedByKernel).toBe(0)
    // A handshake per transport (each participant has a send and a recv one), all on one profile
    // that encrypts (not one of the NULL-cipher ones).
    expect(report.dtlsServerHellos).toBeGreaterThanOrEqual(4)
    expect(report.srtpProfileIds).toHaveLength(1)
    expect(SRTP_PROFILES[report.srtpProfileIds[0]!]?.isEncrypting).toBe(true)
    // Every RTP packet the browsers sent or received crossed these ports as SRTP (there are more
    // on the wire: retransmissions, padding probes, packets in flight at the snapshot).
    const srtpPackets = report.srtp + report.srtpRefusedByHeuristic
    expect(srtpPackets).toBeGreaterThanOrEqual(MIN_SRTP_PACKETS)
    expect(srtpPackets).toBeGreaterThanOrEqual(browsers.rtpPackets)
    expect(report.srtcp).toBeGreaterThan(0)
    expect(report).toMatchObject({ plainRtp: 0, plainRtcp: 0, unexplained: 0 })
    // Keyframes were decoded on both sides, yet none crossed the wire readable.
    expect(browsers.keyFramesDecoded).toBeGreaterThanOrEqual(2)
    expect(report.plainVp8Keyframes).toBe(0)
    expect(cnames.length).toBeGreaterThanOrEqual(2)
    for (const hit of report.markers) expect(hit).toEqual({ ...hit, frames: 0, rawBytes: 0 })
  })

  it('control: the same capture and inspection find plain RTP, a plain VP8 keyframe and the CNAME', async () => {
    const file = path.join(captureDir, 'media-encryption-control.pcap')
    keepCaptureOnFailure(file)
    const capture = await startCapture({ file, ports: stack.media!.rtcPorts })
    const marker = `vstrecha-plain-${Math.random().toString(36).slice(2, 10)}`
    const sent = await sendPlainRtp({ ports: stack.media!.rtcPorts, cname: marker })
    const summary = await capture.stop()

    const report = await inspectMediaCapture(file, {
      markers: [marker],
      mediaPorts: stack.media!.rtcPorts,
    })
    console.info(
      `A3 control: sent ${sent.rtp} plain RTP (${sent.keyframes} VP8 keyframe starts) + ` +
        `${sent.rtcp} plain RTCP with CNAME "${marker}"; ${summary.captured} datagrams captured\n` +
        describeMediaWireReport(report),
    )
    expect(summary.droppedByKernel).toBe(0)
    expect(summary.captured).toBe(sent.rtp + sent.rtcp)
    expect(report).toMatchObject({
      dtlsServerHellos: 0,
      srtp: 0,
      srtcp: 0,
      plainRtp: sent.rtp,
      plainRtcp: sent.rtcp,
      plainVp8Keyframes: sent.keyframes,
      unexplained: 0,
      markers: [{ marker, frames: sent.rtp + sent.rtcp, rawBytes: sent.rtp + sent.rtcp }],
    })
  })
})

/**
 * Plain RTP as an unencrypted sender would put it on the wire — VP8 packets (every fifth the start of
 * a keyframe) whose bytes carry the marker, and RTCP sender reports with the marker as CNAME — from a
 * port inside the captured range to a local receiver. Resolves once the receiver has them all.
 */
async function sendPlainRtp(options: {
  ports: [number, number]
  cname: string
}): Promise<{ rtp: number; keyframes: number; rtcp: number }> {
  const rtpCount = 50
  const keyframeEvery = 5
  const rtcpEvery = 10
  const ssrc = 0x5eed_0001
  const receiver = createSocket('udp4')
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve))
  let received = 0
  receiver.on('message', () => (received += 1))
  const sender = await bindInRange(options.ports)
  const { port } = receiver.address()
  const send = (packet: Buffer) =>
    new Promise<void>((resolve, reject) =>
      sender.send(packet, port, '127.0.0.1', (error) => (error ? reject(error) : resolve())),
    )
  let sent = 0
  try {
    for (let index = 0; index < rtpCount; index += 1) {
      const isKeyframeStart = index % keyframeEvery === 0
      await send(
        rtpPacket({
          ssrc,
          sequenceNumber: 1000 + index,
          timestamp: Math.floor(index / keyframeEvery) * 3000,
          payload: Buffer.concat([
            isKeyframeStart ? VP8_KEYFRAME_START : VP8_CONTINUATION,
            Buffer.from(` ${options.cname} ${index}`),
          ]),
        }),
      )
      sent += 1
      if (index % rtcpEvery === 0) {
        await send(rtcpSenderReport({ ssrc, cname: options.cname }))
        sent += 1
      }
    }
    const deadline = Date.now() + 5_000
    while (received < sent && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(received).toBe(sent)
    return { rtp: rtpCount, keyframes: rtpCount / keyframeEvery, rtcp: sent - rtpCount }
  } finally {
    sender.close()
    receiver.close()
  }
}

/**
 * VP8 payload descriptor (RFC 7741: X=1, S=1, partition 0; 15-bit picture id), then the keyframe's
 * frame tag (P=0), start code 9d 01 2a and a 320×240 size (RFC 6386 §9.1).
 */
const VP8_KEYFRAME_START = Buffer.from([
  0x90, 0x80, 0x80, 0x01, 0x50, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00,
])
/** A later packet of the same frame: S=0. */
const VP8_CONTINUATION = Buffer.from([0x80, 0x80, 0x80, 0x01])

/** A UDP socket on a free port of the range, from the top (mediasoup allocates from the bottom). */
async function bindInRange([min, max]: [number, number]): Promise<Socket> {
  for (let port = max; port >= min; port -= 1) {
    const socket = createSocket('udp4')
    const isBound = await new Promise<boolean>((resolve) => {
      socket.once('error', () => resolve(false))
      socket.bind(port, '127.0.0.1', () => resolve(true))
    })
    if (isBound) return socket
    socket.close()
  }
  throw new Error(`no free UDP port in ${min}-${max}`)
}

/** RTP fixed header (RFC 3550 §5.1), payload type 96 (VP8 as Chrome numbers it), no extensions. */
function rtpPacket(options: {
  ssrc: number
  sequenceNumber: number
  timestamp: number
  payload: Buffer
}): Buffer {
  const header = Buffer.alloc(12)
  header[0] = 0x80 // V=2
  header[1] = 96
  header.writeUInt16BE(options.sequenceNumber & 0xffff, 2)
  header.writeUInt32BE(options.timestamp >>> 0, 4)
  header.writeUInt32BE(options.ssrc, 8)
  return Buffer.concat([header, options.payload])
}

/** A compound RTCP packet as every sender emits: SR (no report blocks) + SDES with the CNAME. */
function rtcpSenderReport(options: { ssrc: number; cname: string }): Buffer {
  const sr = Buffer.alloc(28)
  sr[0] = 0x80
  sr[1] = 200
  sr.writeUInt16BE(28 / 4 - 1, 2)
  sr.writeUInt32BE(options.ssrc, 4)
  const name = Buffer.from(options.cname, 'utf8')
  // SSRC, CNAME item (type 1, length, text), END item; padded to a 32-bit boundary.
  const chunkLength = Math.ceil((4 + 2 + name.length + 1) / 4) * 4
  const sdes = Buffer.alloc(4 + chunkLength)
  sdes[0] = 0x81 // V=2, one chunk
  sdes[1] = 202
  sdes.writeUInt16BE(sdes.length / 4 - 1, 2)
  sdes.writeUInt32BE(options.ssrc, 4)
  sdes[8] = 1
  sdes[9] = name.length
  name.copy(sdes, 10)
  return Buffer.concat([sr, sdes])
}
