import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { AppError } from '#core/errors.ts'
import { toAckError } from './rpc.ts'

// mediasoup's own validation, to get errors exactly as mediasoup raises them (no worker needed).
const ortc = createRequire(import.meta.url)('mediasoup/lib/ortc.js') as {
  validateRtpParameters(params: unknown): void
  getProducerRtpParametersMapping(params: unknown, caps: unknown): unknown
}

function thrownBy(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

/** An Error as mediasoup's Channel rejects a worker answer (the worker's reason as message). */
function workerError(message: string): Error {
  const error = new Error(message)
  error.stack = `Error: ${message}\n    at Channel._processMessage (/srv/app/node_modules/mediasoup/lib/Channel.js:196:37)`
  return error
}

describe('toAckError', () => {
  it('keeps the code and message of an AppError', () => {
    expect(toAckError(new AppError('CONFLICT', 'already producing camera'))).toEqual({
      ok: false,
      code: 'CONFLICT',
      message: 'already producing camera',
    })
  })

  it("turns mediasoup's parameter errors into BAD_REQUEST and its missing objects into NOT_FOUND", () => {
    const invalid = thrownBy(() =>
      ortc.validateRtpParameters({ codecs: [{ mimeType: 'audio/opus' }] }),
    )
    expect(invalid).toBeInstanceOf(TypeError)
    expect(toAckError(invalid)).toMatchObject({ ok: false, code: 'BAD_REQUEST' })

    const unsupported = thrownBy(() =>
      ortc.getProducerRtpParametersMapping(
        {
          codecs: [
            {
              mimeType: 'audio/G722',
              payloadType: 9,
              clockRate: 8000,
              parameters: {},
              rtcpFeedback: [],
            },
          ],
        },
        { codecs: [], headerExtensions: [] },
      ),
    )
    expect((unsupported as Error).name).toBe('UnsupportedError')
    expect(toAckError(unsupported)).toMatchObject({ ok: false, code: 'BAD_REQUEST' })

    expect(toAckError(workerError('Producer not found [method:transport.consume]'))).toEqual({
      ok: false,
      code: 'NOT_FOUND',
      message: 'Producer not found [method:transport.consume]',
    })
  })

  it('reports anything else, our own TypeErrors included, as INTERNAL without details', () => {
    const ownBug = thrownBy(() => (undefined as unknown as { id: string }).id)
    expect(ownBug).toBeInstanceOf(TypeError)
    for (const error of [
      ownBug,
      new Error('user not found in cache'),
      workerError('boom'),
      'a string',
    ]) {
      expect(toAckError(error)).toEqual({ ok: false, code: 'INTERNAL', message: 'internal error' })
    }
  })
})
