// RTP/RTCP bytes for load generators and receivers: just enough of RFC 3550, RFC 7741 (VP8) and
// RFC 6464 (audio level) for an SFU to treat the stream like a browser's.

export const RTP_HEADER_BYTES = 12
/** RTCP payload-specific feedback (RFC 4585): FMT 1 is a PLI, FMT 4 a FIR. */
const RTCP_PSFB = 206
const PSFB_PLI = 1
const PSFB_FIR = 4

export type RtpHeader = {
  payloadType: number
  sequenceNumber: number
  timestamp: number
  ssrc: number
  marker?: boolean
}

/** Writes the fixed 12-byte header (no CSRCs); `hasExtension` sets the X bit. */
export function writeRtpHeader(buffer: Buffer, header: RtpHeader, hasExtension = false): void {
  buffer[0] = 0x80 | (hasExtension ? 0x10 : 0)
  buffer[1] = (header.marker ? 0x80 : 0) | (header.payloadType & 0x7f)
  buffer.writeUInt16BE(header.sequenceNumber & 0xffff, 2)
  buffer.writeUInt32BE(header.timestamp >>> 0, 4)
  buffer.writeUInt32BE(header.ssrc >>> 0, 8)
}

/**
 * A VP8 packet as Chrome sends it: the extended payload descriptor with a 15-bit picture id,
 * TL0PICIDX and TID (mediasoup 3.8 parses only extended descriptors, and needs one to see a
 * keyframe), then the payload; the first packet of a frame carries the VP8 payload header
 * whose P bit says key or delta frame.
 */
export function buildVp8Packet(options: {
  header: RtpHeader
  pictureId: number
  tl0PicIdx: number
  isFirstOfFrame: boolean
  isKeyFrame: boolean
  payloadBytes: number
}): Buffer {
  const descriptorBytes = 6
  const packet = Buffer.alloc(RTP_HEADER_BYTES + descriptorBytes + options.payloadBytes)
  writeRtpHeader(packet, options.header)
  let offset = RTP_HEADER_BYTES
  // X=1, S=start of partition, PID=0.
  packet[offset++] = 0x80 | (options.isFirstOfFrame ? 0x10 : 0)
  // I=1 (picture id), L=1 (TL0PICIDX), T=1 (TID), K=0.
  packet[offset++] = 0xe0
  packet[offset++] = 0x80 | ((options.pictureId >> 8) & 0x7f)
  packet[offset++] = options.pictureId & 0xff
  packet[offset++] = options.tl0PicIdx & 0xff
  // TID=0, Y=1: every frame is a base-layer frame.
  packet[offset++] = 0x20
  if (options.isFirstOfFrame) {
    // Frame tag: P=0 is a keyframe; show_frame=1.
    packet[offset] = options.isKeyFrame ? 0x10 : 0x11
    if (options.isKeyFrame && options.payloadBytes >= 10) {
      // Keyframe start code and a 640x360 size, like a real frame header.
      packet.set([0x9d, 0x01, 0x2a], offset + 3)
      packet.writeUInt16LE(640, offset + 6)
      packet.writeUInt16LE(360, offset + 8)
    }
  }
  return packet
}

/**
 * An Opus packet with the RFC 6464 audio level in a one-byte header extension, which mediasoup's
 * AudioLevelObserver reads. `level` is -dBov (0 loudest, 127 silence).
 */
export function buildOpusPacket(options: {
  header: RtpHeader
  audioLevelExtensionId: number
  level: number
  isVoice: boolean
  payloadBytes: number
}): Buffer {
  const extensionBytes = 8
  const packet = Buffer.alloc(RTP_HEADER_BYTES + extensionBytes + options.payloadBytes)
  writeRtpHeader(packet, options.header, true)
  let offset = RTP_HEADER_BYTES
  packet.writeUInt16BE(0xbede, offset)
  packet.writeUInt16BE(1, offset + 2)
  offset += 4
  packet[offset++] = (options.audioLevelExtensionId << 4) | 0
  packet[offset++] = (options.isVoice ? 0x80 : 0) | (options.level & 0x7f)
  // Two bytes of padding complete the 32-bit word.
  offset += 2
  // TOC: CELT-only fullband 20 ms, one frame.
  packet[offset] = 0xf8
  return packet
}

/** RTCP packet types sit where an RTP header has marker + payload type (RFC 5761). */
export function isRtcp(packet: Buffer): boolean {
  const type = packet[1]
  return type !== undefined && type >= 192 && type <= 223
}

/** The media SSRCs a (compound) RTCP packet asks a keyframe for, by PLI or FIR. */
export function keyFrameRequestsIn(packet: Buffer): number[] {
  const ssrcs: number[] = []
  let offset = 0
  while (offset + 4 <= packet.length) {
    const fmt = packet[offset]! & 0x1f
    const type = packet[offset + 1]!
    const length = (packet.readUInt16BE(offset + 2) + 1) * 4
    if (offset + length > packet.length) break
    if (type === RTCP_PSFB && fmt === PSFB_PLI && length >= 12) {
      ssrcs.push(packet.readUInt32BE(offset + 8))
    } else if (type === RTCP_PSFB && fmt === PSFB_FIR) {
      // FCI entries of 8 bytes: SSRC, seq nr, reserved.
      for (let fci = offset + 12; fci + 8 <= offset + length; fci += 8) {
        ssrcs.push(packet.readUInt32BE(fci))
      }
    }
    offset += length
  }
  return ssrcs
}

type StreamCount = {
  /** Extended (wrap-counting) highest sequence number seen. */
  highest: number
  received: number
  highestAtMark: number
  receivedAtMark: number
}

export type SequenceWindow = {
  /** Packets received since the mark (duplicates included). */
  received: number
  /** Packets the sender numbered since the mark: highest sequence number advanced by this much. */
  expected: number
  /** max(0, expected - received) per stream, summed. */
  lost: number
  /** Streams that had at least one packet since the mark. */
  streams: number
  streamsWithLoss: number
}

/**
 * Counts packets and losses per SSRC from RTP sequence numbers, over a window started by mark().
 * A stream first seen after the mark starts its window at its first packet.
 */
export class SequenceCounter {
  readonly #streams = new Map<number, StreamCount>()

  /** Returns false for packets too short to be RTP. */
  add(packet: Buffer): boolean {
    if (packet.length < RTP_HEADER_BYTES) return false
    const sequenceNumber = packet.readUInt16BE(2)
    const ssrc = packet.readUInt32BE(8)
    const stream = this.#streams.get(ssrc)
    if (!stream) {
      this.#streams.set(ssrc, {
        highest: sequenceNumber,
        received: 1,
        highestAtMark: sequenceNumber - 1,
        receivedAtMark: 0,
      })
      return true
    }
    stream.received += 1
    const forward = (sequenceNumber - stream.highest) & 0xffff
    // Half the number space ahead counts as new; behind is a late or duplicated packet.
    if (forward !== 0 && forward < 0x8000) stream.highest += forward
    return true
  }

  mark(): void {
    for (const stream of this.#streams.values()) {
      stream.highestAtMark = stream.highest
      stream.receivedAtMark = stream.received
    }
  }

  window(): SequenceWindow {
    const result: SequenceWindow = {
      received: 0,
      expected: 0,
      lost: 0,
      streams: 0,
      streamsWithLoss: 0,
    }
    for (const stream of this.#streams.values()) {
      const received = stream.received - stream.receivedAtMark
      if (received === 0) continue
      const expected = stream.highest - stream.highestAtMark
      const lost = Math.max(0, expected - received)
      result.received += received
      result.expected += expected
      result.lost += lost
      result.streams += 1
      if (lost > 0) result.streamsWithLoss += 1
    }
    return result
  }

  get streamCount(): number {
    return this.#streams.size
  }
}
