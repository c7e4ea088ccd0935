// A synthetic camera + microphone sending plain RTP, in a process of its own: VP8 at a target
// bitrate (30 fps, frames split into MTU-sized packets, keyframes on PLI/FIR like a browser) and
// 20 ms Opus with audio levels (talk spurts and silence, so level observers have work to do).
import type { BenchChild } from './child-process.ts'
import { forkBenchChild } from './child-process.ts'
import type * as GeneratorProcess from './rtp-generator-process.ts'

export type VideoSourceConfig = {
  kind: 'video'
  ssrc: number
  payloadType: number
  bitrateBps: number
  fps: number
  /** Largest VP8 payload per packet; browsers stay around 1,100–1,200 bytes. */
  maxPayloadBytes: number
  /** A keyframe is this many times an average frame. */
  keyFrameFactor: number
}

export type AudioSourceConfig = {
  kind: 'audio'
  ssrc: number
  payloadType: number
  ptimeMs: number
  /** One-byte header extension id of urn:ietf:params:rtp-hdrext:ssrc-audio-level. */
  audioLevelExtensionId: number
}

export type SourceConfig = VideoSourceConfig | AudioSourceConfig

export type GeneratorConfig = {
  sources: SourceConfig[]
  /** Frame and packet sizes come from a PRNG with this seed, so every run sends the same. */
  seed: number
}

export type StreamStats = {
  ssrc: number
  kind: 'audio' | 'video'
  packets: number
  bytes: number
  frames: number
  keyFrames: number
}

export type GeneratorStats = {
  packets: number
  bytes: number
  streams: StreamStats[]
  keyFrameRequests: number
  /** How late frames went out compared to their schedule (timer and CPU contention). */
  lateMsMean: number
  lateMsMax: number
  /** Frames skipped because the process fell more than a second behind. */
  framesSkipped: number
}

export const DEFAULT_VIDEO: Omit<VideoSourceConfig, 'ssrc' | 'payloadType'> = {
  kind: 'video',
  bitrateBps: 1_000_000,
  fps: 30,
  maxPayloadBytes: 1_100,
  keyFrameFactor: 5,
}

export const DEFAULT_AUDIO: Omit<
  AudioSourceConfig,
  'ssrc' | 'payloadType' | 'audioLevelExtensionId'
> = { kind: 'audio', ptimeMs: 20 }

type Handlers = typeof GeneratorProcess.handlers

export type RtpGenerator = {
  pid: number
  /** Where the generator sends from: an SFU transport without comedia must connect to this. */
  port: number
  start(destination: { ip: string; port: number }): Promise<void>
  stats(): Promise<GeneratorStats>
  stop(): Promise<void>
}

/** Forks the generator and binds its socket on `ip`; nothing is sent before start(). */
export async function startRtpGenerator(
  config: GeneratorConfig,
  ip = '127.0.0.1',
): Promise<RtpGenerator> {
  const child: BenchChild<Handlers> = await forkBenchChild<Handlers>(
    new URL('./rtp-generator-process.ts', import.meta.url),
  )
  const { port } = await child.call('bind', { ip, config })
  return {
    pid: child.pid,
    port,
    start: (destination) => child.call('start', destination),
    stats: () => child.call('stats'),
    stop: () => child.stop(),
  }
}
