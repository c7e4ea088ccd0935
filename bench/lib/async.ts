// Small async helpers shared by the benchmarks.

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Runs `task` over `items` with at most `limit` in flight; rejects on the first failure. */
export async function mapLimit<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await task(items[index]!, index)
    }
  })
  await Promise.all(lanes)
  return results
}
