import { describe, expect, it } from 'vitest'
import {
  buildOpusPacket,
  buildVp8Packet,
  isRtcp,
  keyFrameRequestsIn,
  SequenceCounter,
  writeRtpHeader,
} from './rtp.ts'

function rtp(ssrc: number, sequenceNumber: number): Buffer {
  const packet = Buffer.alloc(20)
  writeRtpHeader(packet, { payloadType: 96, sequenceNumber, timestamp: 0, ssrc })
  return packet
}

describe('SequenceCounter', () => {
  it('counts losses per SSRC within the window, across the 16-bit wrap', () => {
    const counter = new SequenceCounter()
    counter.add(rtp(1, 65_530))
    counter.mark()
    for (const seq of [65_531, 65_532, 65_534, 65_535, 0, 3, 4]) counter.add(rtp(1, seq))
    // 65531..4 is 10 packets; 65533, 1 and 2 are missing.
    expect(counter.window()).toEqual({
      received: 7,
      expected: 10,
      lost: 3,
      streams: 1,
      streamsWithLoss: 1,
    })
  })

  it('starts a stream first seen after the mark at its first packet; late packets are not loss', () => {
    const counter = new SequenceCounter()
    counter.mark()
    for (const seq of [100, 101, 103, 102, 104]) counter.add(rtp(7, seq))
    for (const seq of [5, 6]) counter.add(rtp(8, seq))
    expect(counter.window()).toEqual({
      received: 7,
      expected: 7,
      lost: 0,
      streams: 2,
      streamsWithLoss: 0,
    })
  })
})

describe('RTP/RTCP bytes', () => {
  it('marks VP8 keyframes the way a parser reads them: first packet, P bit clear', () => {
    const header = { payloadType: 96, sequenceNumber: 1, timestamp: 0, ssrc: 5 }
    const common = { header, pictureId: 300, tl0PicIdx: 1, payloadBytes: 100 }
    const key = buildVp8Packet({ ...common, isFirstOfFrame: true, isKeyFrame: true })
    const delta = buildVp8Packet({ ...common, isFirstOfFrame: true, isKeyFrame: false })
    // Extended descriptor with S=1, then I/L/T, a 15-bit picture id, TL0PICIDX and TID/Y.
    expect([...key.subarray(12, 18)]).toEqual([0x90, 0xe0, 0x81, 0x2c, 0x01, 0x20])
    expect(key[18]! & 0x01).toBe(0)
    expect(delta[18]! & 0x01).toBe(1)
    expect(isRtcp(key)).toBe(false)
  })

  it('puts the audio level in a one-byte header extension', () => {
    const packet = buildOpusPacket({
      header: { payloadType: 111, sequenceNumber: 1, timestamp: 0, ssrc: 5 },
      audioLevelExtensionId: 1,
      level: 30,
      isVoice: true,
      payloadBytes: 40,
    })
    expect(packet[0]! & 0x10).toBe(0x10)
    expect([...packet.subarray(12, 18)]).toEqual([0xbe, 0xde, 0x00, 0x01, 0x10, 0x80 | 30])
    expect(packet).toHaveLength(12 + 8 + 40)
  })

  it('finds keyframe requests (PLI and FIR) in a compound RTCP packet', () => {
    const receiverReport = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 9])
    const pli = Buffer.alloc(12)
    pli.set([0x81, 206, 0, 2])
    pli.writeUInt32BE(9, 4)
    pli.writeUInt32BE(0xaabbccdd, 8)
    const fir = Buffer.alloc(20)
    fir.set([0x84, 206, 0, 4])
    fir.writeUInt32BE(9, 4)
    fir.writeUInt32BE(0x11223344, 12)
    const compound = Buffer.concat([receiverReport, pli, fir])
    expect(isRtcp(compound)).toBe(true)
    expect(keyFrameRequestsIn(compound)).toEqual([0xaabbccdd, 0x11223344])
  })
})
