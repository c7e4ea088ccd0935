// The generator's process (see rtp-generator.ts): one UDP socket, a schedule per source.
import { createSocket, type Socket } from 'node:dgram'
import { once } from 'node:events'
import { serveParent } from './child-process.ts'
import { buildOpusPacket, buildVp8Packet, isRtcp, keyFrameRequestsIn } from './rtp.ts'
import type {
  AudioSourceConfig,
  GeneratorConfig,
  GeneratorStats,
  StreamStats,
  VideoSourceConfig,
} from './rtp-generator.ts'

/** Browsers answer PLIs at most this often; mediasoup also throttles its requests. */
const MIN_KEYFRAME_GAP_MS = 300
/** Further behind than this, the schedule jumps ahead instead of sending a burst. */
const MAX_CATCH_UP_MS = 1_000
/** Talk spurts and pauses of the synthetic microphone. */
const TALK_MS = 3_000
const PAUSE_MS = 2_000

/** mulberry32: small, fast, good enough for packet sizes. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Source = {
  stats: StreamStats
  intervalMs: number
  nextDueMs: number
  /** Sends one frame (video) or packet (audio). */
  emit(): void
}

let socket: Socket | undefined
let config: GeneratorConfig | undefined
const sources: Source[] = []
let keyFrameRequests = 0
let lateMsSum = 0
let lateMsMax = 0
let emitted = 0
let framesSkipped = 0
let timer: NodeJS.Timeout | undefined

function counted(stats: StreamStats, send: (packet: Buffer) => void) {
  return (packet: Buffer) => {
    stats.packets += 1
    stats.bytes += packet.length
    send(packet)
  }
}

function videoSource(
  source: VideoSourceConfig,
  random: () => number,
  send: (packet: Buffer) => void,
): Source & { requestKeyFrame(): void } {
  const averageFrameBytes = source.bitrateBps / 8 / source.fps
  const stats: StreamStats = {
    ssrc: source.ssrc,
    kind: 'video',
    packets: 0,
    bytes: 0,
    frames: 0,
    keyFrames: 0,
  }
  let sequenceNumber = Math.floor(random() * 0xffff)
  let timestamp = Math.floor(random() * 0xffffffff)
  let pictureId = Math.floor(random() * 0x7fff)
  let tl0PicIdx = 0
  const out = counted(stats, send)
  let isKeyFramePending = true
  let lastKeyFrameAt = -Infinity
  return {
    stats,
    intervalMs: 1000 / source.fps,
    nextDueMs: 0,
    requestKeyFrame() {
      isKeyFramePending = true
    },
    emit() {
      const now = performance.now()
      const isKeyFrame = isKeyFramePending && now - lastKeyFrameAt >= MIN_KEYFRAME_GAP_MS
      if (isKeyFrame) {
        isKeyFramePending = false
        lastKeyFrameAt = now
        stats.keyFrames += 1
      }
      // Delta frames vary ±30% around the average, as an encoder's do.
      const frameBytes = Math.round(
        averageFrameBytes * (isKeyFrame ? source.keyFrameFactor : 0.7 + 0.6 * random()),
      )
      const count = Math.ceil(frameBytes / source.maxPayloadBytes)
      // Equal-sized packets, as libwebrtc splits a frame.
      const payloadBytes = Math.ceil(frameBytes / count)
      for (let i = 0; i < count; i++) {
        out(
          buildVp8Packet({
            header: {
              payloadType: source.payloadType,
              sequenceNumber: sequenceNumber++,
              timestamp,
              ssrc: source.ssrc,
              marker: i === count - 1,
            },
            pictureId,
            tl0PicIdx,
            isFirstOfFrame: i === 0,
            isKeyFrame,
            payloadBytes,
          }),
        )
      }
      stats.frames += 1
      pictureId = (pictureId + 1) & 0x7fff
      tl0PicIdx = (tl0PicIdx + 1) & 0xff
      timestamp = (timestamp + Math.round(90_000 / source.fps)) >>> 0
    },
  }
}

function audioSource(
  source: AudioSourceConfig,
  random: () => number,
  send: (packet: Buffer) => void,
): Source {
  const stats: StreamStats = {
    ssrc: source.ssrc,
    kind: 'audio',
    packets: 0,
    bytes: 0,
    frames: 0,
    keyFrames: 0,
  }
  let sequenceNumber = Math.floor(random() * 0xffff)
  let timestamp = Math.floor(random() * 0xffffffff)
  const out = counted(stats, send)
  let elapsedMs = 0
  return {
    stats,
    intervalMs: source.ptimeMs,
    nextDueMs: 0,
    emit() {
      const isVoice = elapsedMs % (TALK_MS + PAUSE_MS) < TALK_MS
      out(
        buildOpusPacket({
          header: {
            payloadType: source.payloadType,
            sequenceNumber: sequenceNumber++,
            timestamp,
            ssrc: source.ssrc,
          },
          audioLevelExtensionId: source.audioLevelExtensionId,
          isVoice,
          // -dBov: speech around -20..-40, silence at the floor.
          level: isVoice ? 20 + Math.floor(random() * 20) : 127,
          // ~32 kbit/s while talking; a few bytes of comfort noise otherwise.
          payloadBytes: isVoice ? 60 + Math.floor(random() * 60) : 8 + Math.floor(random() * 4),
        }),
      )
      stats.frames += 1
      elapsedMs += source.ptimeMs
      timestamp = (timestamp + 48 * source.ptimeMs) >>> 0
    },
  }
}

function tick(): void {
  const now = performance.now()
  for (const source of sources) {
    if (now - source.nextDueMs > MAX_CATCH_UP_MS) {
      const behind = Math.floor((now - source.nextDueMs) / source.intervalMs)
      framesSkipped += behind
      source.nextDueMs += behind * source.intervalMs
    }
    while (source.nextDueMs <= now) {
      const lateMs = now - source.nextDueMs
      lateMsSum += lateMs
      lateMsMax = Math.max(lateMsMax, lateMs)
      emitted += 1
      source.emit()
      source.nextDueMs += source.intervalMs
    }
  }
  const nextDueMs = Math.min(...sources.map((source) => source.nextDueMs))
  timer = setTimeout(tick, Math.max(0, nextDueMs - performance.now()))
}

export const handlers = {
  async bind(params: { ip: string; config: GeneratorConfig }): Promise<{ port: number }> {
    config = params.config
    socket = createSocket('udp4')
    socket.bind(0, params.ip)
    await once(socket, 'listening')
    return { port: socket.address().port }
  },

  start(destination: { ip: string; port: number }): void {
    if (!socket || !config) throw new Error('bind first')
    const udp = socket
    const random = createRandom(config.seed)
    const send = (packet: Buffer) => udp.send(packet, destination.port, destination.ip)
    const videos = new Map<number, ReturnType<typeof videoSource>>()
    for (const source of config.sources) {
      if (source.kind === 'video') {
        const video = videoSource(source, random, send)
        videos.set(source.ssrc, video)
        sources.push(video)
      } else {
        sources.push(audioSource(source, random, send))
      }
    }
    udp.on('message', (packet) => {
      if (!isRtcp(packet)) return
      for (const ssrc of keyFrameRequestsIn(packet)) {
        const video = videos.get(ssrc)
        if (!video) continue
        keyFrameRequests += 1
        video.requestKeyFrame()
      }
    })
    const startMs = performance.now()
    for (const source of sources) source.nextDueMs = startMs
    tick()
  },

  stats(): GeneratorStats {
    const streams = sources.map((source) => ({ ...source.stats }))
    return {
      packets: streams.reduce((sum, stream) => sum + stream.packets, 0),
      bytes: streams.reduce((sum, stream) => sum + stream.bytes, 0),
      streams,
      keyFrameRequests,
      lateMsMean: emitted > 0 ? lateMsSum / emitted : 0,
      lateMsMax,
      framesSkipped,
    }
  },
}

process.on('disconnect', () => clearTimeout(timer))
serveParent(handlers)
