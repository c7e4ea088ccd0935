import { describe, expect, it } from 'vitest'
import {
  aggregateViews,
  planViewOperations,
  spatialLayerForTile,
  type VideoConsumerView,
} from './video-views.ts'

describe('spatialLayerForTile', () => {
  it('small tile → 0, medium → 1, large → 2', () => {
    expect(spatialLayerForTile({ width: 200, height: 112 })).toBe(0)
    expect(spatialLayerForTile({ width: 400, height: 225 })).toBe(1)
    expect(spatialLayerForTile({ width: 1100, height: 620 })).toBe(2)
  })
  it('counts device pixels: a medium tile on a 2× screen needs the full layer', () => {
    expect(spatialLayerForTile({ width: 400, height: 225 }, 2)).toBe(2)
    expect(spatialLayerForTile({ width: 170, height: 96 }, 2)).toBe(0)
  })
  it('a tall narrow tile is limited by its height (16:9 letterboxed)', () => {
    expect(spatialLayerForTile({ width: 900, height: 180 })).toBe(0)
  })
})

describe('aggregateViews', () => {
  it('keeps the largest layer per producer', () => {
    const wanted = aggregateViews([
      { producerId: 'a', layer: 0 },
      { producerId: 'a', layer: 2 },
      { producerId: 'b', layer: 1 },
    ])
    expect([...wanted]).toEqual([
      ['a', 2],
      ['b', 1],
    ])
  })
})

describe('planViewOperations', () => {
  const consumer = (patch: Partial<VideoConsumerView>): VideoConsumerView => ({
    consumerId: 'c',
    producerId: 'p',
    type: 'simulcast',
    isHidden: true,
    layer: null,
    ...patch,
  })

  it('sets the layer, then resumes a consumer that became visible', () => {
    expect(planViewOperations([consumer({})], new Map([['p', 1]]))).toEqual([
      { op: 'layers', consumerId: 'c', spatialLayer: 1 },
      { op: 'resume', consumerId: 'c' },
    ])
  })
  it('pauses a visible consumer nobody shows any more, once', () => {
    expect(planViewOperations([consumer({ isHidden: false, layer: 1 })], new Map())).toEqual([
      { op: 'pause', consumerId: 'c' },
    ])
    expect(planViewOperations([consumer({ isHidden: true })], new Map())).toEqual([])
  })
  it('only changes the layer of a visible consumer whose tile was resized', () => {
    expect(
      planViewOperations([consumer({ isHidden: false, layer: 0 })], new Map([['p', 2]])),
    ).toEqual([{ op: 'layers', consumerId: 'c', spatialLayer: 2 }])
    expect(
      planViewOperations([consumer({ isHidden: false, layer: 2 })], new Map([['p', 2]])),
    ).toEqual([])
  })
  it('never asks for layers of a non-simulcast consumer (a screen share)', () => {
    expect(planViewOperations([consumer({ type: 'simple' })], new Map([['p', 2]]))).toEqual([
      { op: 'resume', consumerId: 'c' },
    ])
  })
})
