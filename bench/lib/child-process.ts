// Request/response over Node's IPC channel, so a benchmark can put load generators and receivers in
// processes of their own (their CPU then shows separately, and they use the other core).
import { fork, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'

type Request = { id: number; method: string; params: unknown }
type Response = { id: number; result?: unknown; error?: string }

export type Handlers = Record<string, (params: never) => unknown>

export type BenchChild<H extends Handlers> = {
  pid: number
  call<M extends keyof H & string>(
    method: M,
    ...params: Parameters<H[M]> extends [] ? [] : [Parameters<H[M]>[0]]
  ): Promise<Awaited<ReturnType<H[M]>>>
  /** Asks the child to exit and waits for it; kills it if it does not within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>
}

/** Forks `entry` (a .ts file that calls serveParent) and waits for its first message. */
export async function forkBenchChild<H extends Handlers>(entry: URL): Promise<BenchChild<H>> {
  const child: ChildProcess = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (e: Error) => void }
  >()
  let nextId = 1
  child.on('message', (message: Response) => {
    const waiter = pending.get(message.id)
    if (!waiter) return
    pending.delete(message.id)
    if (message.error !== undefined) waiter.reject(new Error(message.error))
    else waiter.resolve(message.result)
  })
  child.on('exit', (code, signal) => {
    for (const waiter of pending.values()) {
      waiter.reject(new Error(`bench child ${entry.pathname} exited (${code ?? signal})`))
    }
    pending.clear()
  })
  const [ready] = (await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`bench child ${entry.pathname} exited with ${code} before it was ready`)
    }),
  ])) as [Response]
  if (ready.id !== 0) throw new Error('bench child: expected a ready message first')

  return {
    pid: child.pid!,
    call(method, ...params) {
      const id = nextId++
      const request: Request = { id, method, params: params[0] }
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
        child.send(request)
      })
    },
    async stop(timeoutMs = 2_000) {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.disconnect()
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      await exited
      clearTimeout(timer)
    },
  }
}

/** In the child: answers the parent's calls; the process ends when the parent disconnects. */
export function serveParent(handlers: Handlers): void {
  if (!process.send) throw new Error('run this file through forkBenchChild, not directly')
  const send = (message: Response) => process.send!(message)
  process.on('message', async (request: Request) => {
    const handler = handlers[request.method] as ((params: unknown) => unknown) | undefined
    try {
      if (!handler) throw new Error(`unknown method ${request.method}`)
      send({ id: request.id, result: (await handler(request.params)) ?? null })
    } catch (error) {
      send({ id: request.id, error: error instanceof Error ? error.message : String(error) })
    }
  })
  process.on('disconnect', () => process.exit(0))
  send({ id: 0 })
}
