import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import { AppError } from '#core/errors.ts'
import { createLogger } from '#core/logger.ts'
import {
  createTaskQueue,
  registerClientEvents,
  type EventHandlers,
  type HandlerContext,
} from './handler.ts'

const log = createLogger({ name: 'test', level: 'silent', pretty: false })

function setup(handlers: Partial<EventHandlers>, maxQueued = 32) {
  const socket = Object.assign(new EventEmitter(), { id: 'socket-1', data: {} })
  const context = { socket, log } as unknown as HandlerContext
  registerClientEvents({
    context,
    queue: createTaskQueue(maxQueued),
    handlers: handlers as EventHandlers,
  })
  /** Emits like socket.io does for a client event and resolves with the ack. */
  const send = (event: string, ...args: unknown[]) =>
    new Promise((resolve) => socket.emit(event, ...args, resolve))
  return { socket, send }
}

describe('registerClientEvents', () => {
  it('hands the parsed payload (defaults applied, unknown keys dropped) to the handler', async () => {
    let seen: unknown
    const { send } = setup({
      'media:createTransport': async (_context, payload) => {
        seen = payload
        return { id: 't', iceParameters: {}, iceCandidates: [], dtlsParameters: {} }
      },
    })
    expect(await send('media:createTransport', { direction: 'send', roomId: 'other' })).toEqual({
      ok: true,
      data: { id: 't', iceParameters: {}, iceCandidates: [], dtlsParameters: {} },
    })
    expect(seen).toEqual({ direction: 'send', enableSctp: false })
  })

  it('answers BAD_REQUEST naming the field, without calling the handler', async () => {
    let calls = 0
    const { send } = setup({
      'media:pauseProducer': async () => {
        calls += 1
        return {}
      },
    })
    expect(await send('media:pauseProducer', { producerId: 'has spaces' })).toEqual({
      ok: false,
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/^Invalid media:pauseProducer payload: producerId: /),
    })
    expect(await send('media:pauseProducer', 'nope')).toMatchObject({ code: 'BAD_REQUEST' })
    expect(calls).toBe(0)
  })

  it('turns AppErrors into their code and anything else into INTERNAL without details', async () => {
    const { send } = setup({
      'media:leave': async () => {
        throw new AppError('CONFLICT', 'nope')
      },
      'meeting:end': async () => {
        throw new Error('database password is hunter2')
      },
    })
    expect(await send('media:leave', {})).toEqual({ ok: false, code: 'CONFLICT', message: 'nope' })
    expect(await send('meeting:end', {})).toEqual({
      ok: false,
      code: 'INTERNAL',
      message: 'Internal error',
    })
  })

  it('runs without an ack and survives a throwing ack', async () => {
    let calls = 0
    const { socket, send } = setup({
      'media:leave': async () => {
        calls += 1
        return {}
      },
    })
    socket.emit('media:leave', {})
    socket.emit('media:leave', {}, () => {
      throw new Error('client callback blew up')
    })
    expect(await send('media:leave', {})).toEqual({ ok: true, data: {} })
    expect(calls).toBe(3)
  })

  it("runs one socket's events one at a time, and refuses a flood with RATE_LIMITED", async () => {
    const order: string[] = []
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { send } = setup(
      {
        'media:pauseProducer': async (_context, { producerId }) => {
          order.push(`start ${producerId}`)
          if (producerId === 'first') await gate
          order.push(`end ${producerId}`)
          return {}
        },
      },
      2,
    )
    const first = send('media:pauseProducer', { producerId: 'first' })
    const second = send('media:pauseProducer', { producerId: 'second' })
    expect(await send('media:pauseProducer', { producerId: 'third' })).toMatchObject({
      ok: false,
      code: 'RATE_LIMITED',
    })
    release()
    await Promise.all([first, second])
    expect(order).toEqual(['start first', 'end first', 'start second', 'end second'])
  })

  /** setPreferredLayers and resumeConsumer handlers that note when they ran. */
  const layersAndResumeRecordedIn = (order: string[]) => ({
    'media:setPreferredLayers': async () => {
      order.push('layers')
      return {}
    },
    'media:resumeConsumer': async () => {
      order.push('resume')
      return {}
    },
  })

  it('answers consumer requests while a slow producer request is still running, each lane in order', async () => {
    const order: string[] = []
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { send } = setup({
      'media:pauseProducer': async () => {
        await gate
        order.push('pause producer')
        return {}
      },
      ...layersAndResumeRecordedIn(order),
    })
    const slow = send('media:pauseProducer', { producerId: 'p' })
    await send('media:setPreferredLayers', { consumerId: 'c', spatialLayer: 1 })
    await send('media:resumeConsumer', { consumerId: 'c' })
    expect(order).toEqual(['layers', 'resume'])
    release()
    await slow
    expect(order).toEqual(['layers', 'resume', 'pause producer'])
  })

  it('resumes a created consumer while the consumes of the rest of the room are still queued', async () => {
    const order: string[] = []
    let release = () => {}
    const gate = new Promise<void>((resolve) => (release = resolve))
    const { send } = setup({
      'media:consume': async (_context, { producerId }) => {
        await gate
        order.push(`consume ${producerId}`)
        return {} as never
      },
      ...layersAndResumeRecordedIn(order),
    })
    const consumes = ['p1', 'p2'].map((producerId) =>
      send('media:consume', { producerId, rtpCapabilities: { codecs: [] } }),
    )
    await send('media:setPreferredLayers', { consumerId: 'c', spatialLayer: 1 })
    await send('media:resumeConsumer', { consumerId: 'c' })
    expect(order).toEqual(['layers', 'resume'])
    release()
    await Promise.all(consumes)
    expect(order).toEqual(['layers', 'resume', 'consume p1', 'consume p2'])
  })
})
