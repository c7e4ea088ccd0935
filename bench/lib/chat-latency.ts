// Latency histograms for the chat benchmark (bench/chat/fanout.ts): 0.1 ms bins up to 10 s, so a
// receiver process counts hundreds of thousands of deliveries without keeping them, and only the
// non-empty bins cross the IPC channel. Also the message body's timestamp format: every process on
// the machine reads the same clock through `nowMs()` (performance.timeOrigin + performance.now(),
// i.e. epoch milliseconds with sub-millisecond resolution).

/** Bin width, ms. */
export const BIN_MS = 0.1
/** Latencies at or above this land in the last bin. */
const MAX_MS = 10_000
const BINS = Math.ceil(MAX_MS / BIN_MS) + 1

/** Epoch ms, sub-ms resolution; comparable between processes on one machine. */
export const nowMs = () => performance.timeOrigin + performance.now()

export class LatencyHistogram {
  #bins = new Uint32Array(BINS)
  count = 0
  maxMs = 0

  add(ms: number): void {
    const bin = Math.min(BINS - 1, Math.max(0, Math.floor(ms / BIN_MS)))
    this.#bins[bin]! += 1
    this.count += 1
    if (ms > this.maxMs) this.maxMs = ms
  }

  /** Non-empty bins as [bin, count] pairs (what crosses the IPC channel). */
  toSparse(): SparseHistogram {
    const bins: Array<[number, number]> = []
    for (let bin = 0; bin < BINS; bin += 1) {
      const count = this.#bins[bin]!
      if (count > 0) bins.push([bin, count])
    }
    return { bins, count: this.count, maxMs: this.maxMs }
  }

  addSparse(sparse: SparseHistogram): void {
    for (const [bin, count] of sparse.bins) this.#bins[bin]! += count
    this.count += sparse.count
    this.maxMs = Math.max(this.maxMs, sparse.maxMs)
  }

  /** The quantile's bin's upper edge, ms (NaN when empty). */
  quantile(q: number): number {
    if (this.count === 0) return NaN
    const rank = Math.max(1, Math.ceil(q * this.count))
    let seen = 0
    for (let bin = 0; bin < BINS; bin += 1) {
      seen += this.#bins[bin]!
      if (seen >= rank) return Math.min(this.maxMs, (bin + 1) * BIN_MS)
    }
    return this.maxMs
  }

  summary(): LatencySummary {
    return {
      count: this.count,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
      max: this.count ? this.maxMs : NaN,
    }
  }
}

export type SparseHistogram = { bins: Array<[number, number]>; count: number; maxMs: number }
export type LatencySummary = { count: number; p50: number; p90: number; p99: number; max: number }

/**
 * The body of a benchmark message: `bench <phase> <sentAtMs>` plus padding to a chat-like length.
 * The receivers count only messages of the current phase, so stragglers of an earlier level (or its
 * warm-up) never land in the next one.
 */
export function benchBody(phase: number, sentAtMs: number, padding: string): string {
  return `bench ${phase} ${sentAtMs.toFixed(3)} ${padding}`
}

/** [phase, sentAtMs] of a benchmark body, or null for anything else. */
export function parseBenchBody(body: string): [number, number] | null {
  if (!body.startsWith('bench ')) return null
  const second = body.indexOf(' ', 6)
  const third = body.indexOf(' ', second + 1)
  if (second < 0) return null
  const phase = Number(body.slice(6, second))
  const sentAt = Number(body.slice(second + 1, third < 0 ? undefined : third))
  return Number.isFinite(phase) && Number.isFinite(sentAt) ? [phase, sentAt] : null
}
