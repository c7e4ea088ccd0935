// A low-priority CPU group (cgroup v1 `cpu` controller, root only): processes in it get the CPU
// everyone else leaves over. Benchmarks use it for load that stands for other machines — people
// whose own computers are not the one being measured — so it cannot starve what is measured.
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs'

const CPU_CONTROLLER = '/sys/fs/cgroup/cpu'
/** Against the default 1024 of everything else. */
const LOW_SHARES = 32

export type CpuGroup = {
  /** Moves processes (and so their future children) into the group. */
  add: (pids: number[]) => void
  /** Removes the group once its processes are gone. */
  remove: () => void
}

/** The group, or why there is none (not root, no cgroup v1 cpu controller). */
export function createLowPriorityGroup(name: string): CpuGroup | { unavailable: string } {
  if (process.getuid?.() !== 0) return { unavailable: 'needs root' }
  if (!existsSync(`${CPU_CONTROLLER}/cpu.shares`)) {
    return { unavailable: `no cgroup v1 cpu controller at ${CPU_CONTROLLER}` }
  }
  const dir = `${CPU_CONTROLLER}/${name}`
  mkdirSync(dir, { recursive: true })
  writeFileSync(`${dir}/cpu.shares`, String(LOW_SHARES))
  return {
    add(pids) {
      for (const pid of pids) {
        try {
          writeFileSync(`${dir}/cgroup.procs`, String(pid))
        } catch {
          // exited meanwhile
        }
      }
    },
    remove() {
      try {
        rmdirSync(dir)
      } catch {
        // still in use or gone: harmless, the kernel keeps an empty group
      }
    },
  }
}
