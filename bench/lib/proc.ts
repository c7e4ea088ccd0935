// CPU, memory and UDP drop counters from /proc (Linux), for the benchmark's own processes and for
// the machine as a whole: on shared cores a number means little without the load next to it.
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'

/** Clock ticks per second for /proc/<pid>/stat times (`getconf CLK_TCK`; 100 on Linux/x86). */
const CLOCK_TICKS_PER_SECOND = 100

/** utime + stime of a process (all its threads), in ms. */
export function readProcessCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // The command name (field 2) may contain spaces; the fields after it are space-separated.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  // Fields 14 and 15 of stat(5); index 0 here is field 3.
  const ticks = Number(fields[11]) + Number(fields[12])
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND
}

export type ProcessMemory = { rssBytes: number; peakRssBytes: number }

export function readProcessMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kib = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0)
  return { rssBytes: kib('VmRSS') * 1024, peakRssBytes: kib('VmHWM') * 1024 }
}

/** A process's CPU between two readings, as % of one core. */
export class CpuMeter {
  readonly pid: number
  #startMs: number
  #startAt: number

  constructor(pid: number) {
    this.pid = pid
    this.#startMs = readProcessCpuMs(pid)
    this.#startAt = performance.now()
  }

  /** % of one core since the start (or the last lap). */
  read(lap = false): number {
    const cpuMs = readProcessCpuMs(this.pid)
    const now = performance.now()
    const percent = ((cpuMs - this.#startMs) / (now - this.#startAt)) * 100
    if (lap) {
      this.#startMs = cpuMs
      this.#startAt = now
    }
    return percent
  }

  /** CPU ms used since the start. */
  usedMs(): number {
    return readProcessCpuMs(this.pid) - this.#startMs
  }
}

type CpuTimes = { busy: number; total: number }

function readMachineCpuTimes(): CpuTimes {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!
  // cpu user nice system idle iowait irq softirq steal guest guest_nice
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number) as number[]
  const idleAll = idle! + iowait!
  const busy = user! + nice! + system! + irq! + softirq! + steal!
  return { busy, total: busy + idleAll }
}

export type MachineSnapshot = {
  at: string
  /** os.loadavg(): 1, 5 and 15 minute run-queue averages. */
  loadavg: [number, number, number]
  cpus: number
  cpuTimes: CpuTimes
  udp: UdpCounters
}

export function snapshotMachine(): MachineSnapshot {
  return {
    at: new Date().toISOString(),
    loadavg: os.loadavg() as [number, number, number],
    cpus: os.availableParallelism(),
    cpuTimes: readMachineCpuTimes(),
    udp: readUdpCounters(),
  }
}

/** Busy share of all cores between two snapshots, in % of one core (200% = 2 cores busy). */
export function machineBusyPercent(before: MachineSnapshot, after: MachineSnapshot): number {
  const busy = after.cpuTimes.busy - before.cpuTimes.busy
  const total = after.cpuTimes.total - before.cpuTimes.total
  return total > 0 ? (busy / total) * 100 * after.cpus : 0
}

export type UdpCounters = { inDatagrams: number; rcvbufErrors: number; sndbufErrors: number }

/** Host-wide (network namespace) UDP counters from /proc/net/snmp. */
export function readUdpCounters(): UdpCounters {
  const lines = readFileSync('/proc/net/snmp', 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('Udp:'))
  const names = lines[0]?.split(/\s+/) ?? []
  const values = lines[1]?.split(/\s+/).map(Number) ?? []
  const get = (name: string) => values[names.indexOf(name)] ?? 0
  return {
    inDatagrams: get('InDatagrams'),
    rcvbufErrors: get('RcvbufErrors'),
    sndbufErrors: get('SndbufErrors'),
  }
}

/**
 * Datagrams the kernel dropped on each local UDP port (full receive buffer), from the `drops`
 * column of /proc/net/udp; ports with no socket are left out.
 */
export function readUdpDropsByPort(ports: Iterable<number>): Map<number, number> {
  const wanted = new Set(ports)
  const drops = new Map<number, number>()
  for (const line of readFileSync('/proc/net/udp', 'utf8').split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/)
    if (fields.length < 13) continue
    const port = parseInt(fields[1]!.split(':')[1]!, 16)
    if (!wanted.has(port)) continue
    drops.set(port, (drops.get(port) ?? 0) + Number(fields[fields.length - 1]))
  }
  return drops
}

export const sumValues = (map: Map<number, number>) =>
  [...map.values()].reduce((sum, value) => sum + value, 0)

export type QuietWait = { isQuiet: boolean; busyPercent: number; waitedMs: number }

/** Before each level, wait until the machine is at most this busy (% of one core)… */
export const QUIET_BUSY_PERCENT = 30
/** …and call a level contended when other processes used more than this during it. */
export const CONTENDED_OTHERS_PERCENT = 35

/**
 * Waits until the whole machine is at most `maxBusyPercent` busy (% of one core, measured over
 * `sampleMs`), or `timeoutMs` passed. Call it while none of the benchmark's processes run: on a
 * shared machine it keeps a run from starting in the middle of someone else's test suite.
 */
export async function waitForQuietMachine(options: {
  maxBusyPercent: number
  timeoutMs: number
  sampleMs?: number
}): Promise<QuietWait> {
  const sampleMs = options.sampleMs ?? 2_000
  const startedAt = performance.now()
  for (;;) {
    const before = snapshotMachine()
    await new Promise((resolve) => setTimeout(resolve, sampleMs))
    const busyPercent = machineBusyPercent(before, snapshotMachine())
    const waitedMs = performance.now() - startedAt
    if (busyPercent <= options.maxBusyPercent) return { isQuiet: true, busyPercent, waitedMs }
    if (waitedMs >= options.timeoutMs) return { isQuiet: false, busyPercent, waitedMs }
  }
}

/** utime + stime (ms) of every running process whose command name is one of `names`, by pid. */
export function readCpuMsByCommand(names: string[]): Map<number, number> {
  const wanted = new Set(names)
  const byPid = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    try {
      if (!wanted.has(readFileSync(`/proc/${pid}/comm`, 'utf8').trim())) continue
      byPid.set(pid, readProcessCpuMs(pid))
    } catch {
      // gone meanwhile
    }
  }
  return byPid
}

/** CPU ms used between two readCpuMsByCommand readings (processes started in between count whole). */
export function cpuMsBetween(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0)
  return total
}
