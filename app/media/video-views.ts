// Which remote videos are on screen and at what size, turned into consumer operations: pause what
// nobody sees, resume what became visible, and ask the SFU for the simulcast layer a tile needs.

/** Simulcast layers of a camera, as produced: ¼, ½ and full resolution (1280×720 capture). */
export const CAMERA_LAYERS = [
  { scaleResolutionDownBy: 4, maxBitrate: 100_000 },
  { scaleResolutionDownBy: 2, maxBitrate: 300_000 },
  { scaleResolutionDownBy: 1, maxBitrate: 900_000 },
] as const

export type SpatialLayer = 0 | 1 | 2

// Widths in device pixels up to which a layer still looks sharp (320 and 640 px wide layers,
// allowed ~15% upscaling).
const LAYER_0_MAX_WIDTH = 368
const LAYER_1_MAX_WIDTH = 736

/** The simulcast layer for a tile of this CSS size: small → 0, medium → 1, large/speaker → 2. */
export function spatialLayerForTile(
  size: { width: number; height: number },
  devicePixelRatio = 1,
): SpatialLayer {
  // A 16:9 video letterboxed in the tile: its width is bounded by the tile height too.
  const videoWidth = Math.min(size.width, (size.height * 16) / 9) * Math.max(1, devicePixelRatio)
  if (videoWidth <= LAYER_0_MAX_WIDTH) return 0
  if (videoWidth <= LAYER_1_MAX_WIDTH) return 1
  return 2
}

export type VideoView = { producerId: string; layer: SpatialLayer }

/** One producer may show in several places (speaker stage and filmstrip): the largest wins. */
export function aggregateViews(views: Iterable<VideoView>): Map<string, SpatialLayer> {
  const out = new Map<string, SpatialLayer>()
  for (const { producerId, layer } of views) {
    const current = out.get(producerId)
    if (current === undefined || layer > current) out.set(producerId, layer)
  }
  return out
}

export type VideoConsumerView = {
  consumerId: string
  producerId: string
  /** simple | simulcast | svc */
  type: string
  /** We paused it server-side because nobody looks at it. */
  isHidden: boolean
  /** The spatial layer last requested from the SFU, null before any request. */
  layer: SpatialLayer | null
}

export type ViewOperation =
  | { op: 'pause'; consumerId: string }
  | { op: 'resume'; consumerId: string }
  | { op: 'layers'; consumerId: string; spatialLayer: SpatialLayer }

/**
 * Operations that bring the video consumers in line with what is on screen. Layers are set before
 * a resume so the first frames after it arrive at the right size.
 */
export function planViewOperations(
  consumers: readonly VideoConsumerView[],
  wanted: ReadonlyMap<string, SpatialLayer>,
): ViewOperation[] {
  const operations: ViewOperation[] = []
  for (const consumer of consumers) {
    const layer = wanted.get(consumer.producerId)
    if (layer === undefined) {
      if (!consumer.isHidden) operations.push({ op: 'pause', consumerId: consumer.consumerId })
      continue
    }
    const hasLayers = consumer.type === 'simulcast' || consumer.type === 'svc'
    if (hasLayers && consumer.layer !== layer) {
      operations.push({ op: 'layers', consumerId: consumer.consumerId, spatialLayer: layer })
    }
    if (consumer.isHidden) operations.push({ op: 'resume', consumerId: consumer.consumerId })
  }
  return operations
}
