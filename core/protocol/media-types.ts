// WebRTC/mediasoup parameter shapes as they cross the wire. We check the envelope here; mediasoup
// validates the details itself and its errors come back as BAD_REQUEST.
import { z } from 'zod'

export const IdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/)

const object = () => z.looseObject({})

export const RtpCapabilitiesSchema = z.looseObject({
  codecs: z.array(object()).max(100).optional(),
  headerExtensions: z.array(object()).max(100).optional(),
})
export const RtpParametersSchema = z.looseObject({
  mid: z.string().max(32).optional(),
  codecs: z.array(object()).min(1).max(20),
  headerExtensions: z.array(object()).max(50).optional(),
  encodings: z.array(object()).max(10).optional(),
  rtcp: object().optional(),
})
export const DtlsParametersSchema = z.looseObject({
  role: z.enum(['auto', 'client', 'server']).optional(),
  fingerprints: z
    .array(z.looseObject({ algorithm: z.string().max(32), value: z.string().max(256) }))
    .min(1)
    .max(10),
})
export const SctpStreamParametersSchema = z.looseObject({
  streamId: z.number().int().min(0).max(65535),
  ordered: z.boolean().optional(),
  maxPacketLifeTime: z.number().int().min(0).optional(),
  maxRetransmits: z.number().int().min(0).optional(),
})

export const MediaKindSchema = z.enum(['audio', 'video'])
export type MediaKind = z.infer<typeof MediaKindSchema>

/** What a producer carries, so clients can lay it out (camera tile, presenter view…). */
export const ProducerSourceSchema = z.enum(['microphone', 'camera', 'screen', 'screen-audio'])
export type ProducerSource = z.infer<typeof ProducerSourceSchema>

export const TransportDirectionSchema = z.enum(['send', 'recv'])
export type TransportDirection = z.infer<typeof TransportDirectionSchema>

/** Parameters a client needs to create its side of a WebRtcTransport. */
export type TransportOptions = {
  id: string
  iceParameters: unknown
  iceCandidates: unknown[]
  dtlsParameters: unknown
  sctpParameters?: unknown
}

export type ConsumerOptions = {
  id: string
  producerId: string
  kind: MediaKind
  rtpParameters: unknown
  /** simple | simulcast | svc | pipe */
  type: string
  producerPaused: boolean
}

/** Parameters a client needs to create its side of a DataConsumer. */
export type DataConsumerOptions = {
  id: string
  dataProducerId: string
  sctpStreamParameters: unknown
  label: string
  protocol: string
}

export type PeerInfo = {
  peerId: string
  userId: string
  displayName: string
  role: string
  producers: { id: string; kind: MediaKind; source: ProducerSource; paused: boolean }[]
}
