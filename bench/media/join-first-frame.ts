// Join → first remote frame: from clicking Join to the first frame of someone already in the room,
// for participants joining one meeting one after another (Chromium, loopback).
// The whole product runs as in the e2e tests (tests/fixtures/stack.ts: web, workers and a
// media-node on the production build, a fresh database); every participant is a guest page of one
// headless Chromium with a 160×120 fake camera at a webcam's 30 fps (`--camera-fps`) and stays in the room, so the k-th joiner
// finds k people there, each with a camera. On a real call those k people sit at their own
// computers; here they share the 2 cores with the joiner. With `--crowd apart` (the default) the
// people already in the room, except the host whose camera the joiner waits for, run in a second
// Chromium in a low-priority CPU group (bench/lib/cpu-group.ts) and, like listeners in a big
// meeting, mute and turn off "Receive others' video"; the joiner is a page of its own that leaves
// after its measurement, and a crowd member takes its place in the room, so the room grows by one
// per joiner. `--crowd full` keeps every joiner in the room, talking and decoding everyone, in one
// browser: then 10 pages saturate 2 cores and the number says more about the machine than about the
// product. The first frame is the first
// requestVideoFrameCallback of a remote camera tile; the time from the `media:join` emit and the
// signaling milestones in between are reported too. Target: p95 ≤ 500 ms. See bench/README.md.
//
//   npm run bench:join [-- --joiners 10 --rounds 2 --wave 1]
//
// Needs the production build (`npx remix vite:build`), PostgreSQL and Redis (DATABASE_URL,
// REDIS_URL: a server where it may create and drop databases, as the tests do), the mediasoup worker
// (MEDIASOUP_WORKER_BIN, default ~/.cache/vstrecha/…) and Chromium (CHROMIUM_PATH, default
// /usr/bin/chromium).
import { readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { DESKTOP, launchBrowser } from '#tests/fixtures/browser.ts'
import {
  createOpenMeeting,
  instrumentPage,
  openPrejoinAsGuest,
  readMarks,
  waitUntilConnected,
  type Marks,
} from '#tests/fixtures/crowd.ts'
import { createTemplateDatabase } from '#tests/fixtures/database.ts'
import { fakeCameraArgs, SMALL_CAMERA } from '#tests/fixtures/fake-camera.ts'
import { startStack, type Stack } from '#tests/fixtures/stack.ts'
import { sleep } from '../lib/async.ts'
import { createLowPriorityGroup, type CpuGroup } from '../lib/cpu-group.ts'
import { machineBusyPercent, readProcessCpuMs, snapshotMachine } from '../lib/proc.ts'
import {
  describeLoad,
  fixed,
  formatTable,
  passOrMiss,
  writeResults,
  type Column,
} from '../lib/report.ts'

// ── What the issue asks for ─────────────────────────────────────────────────────────────────────
const TARGET_P95_MS = 500

/** A joiner that sees no remote frame in this long counts as a failed join. */
const FIRST_FRAME_TIMEOUT_MS = 30_000
/** Between joins: the previous joiner's own camera starts and the machine settles a little. */
const SETTLE_MS = 1_000

process.env.MEDIASOUP_WORKER_BIN ??= `${os.homedir()}/.cache/vstrecha/mediasoup-worker-3.8.4/mediasoup-worker`

type Sample = {
  round: number
  joiner: number
  /** People in the room (camera on) when this joiner clicked Join. */
  peersBefore: number
  clickToFrameMs: number
  clickToJoinEmitMs: number
  joinEmitToFrameMs: number
  /** Milestones after the click (ms), from the page's signaling frames. */
  phases: Phases
  /** With --timeline: every signaling frame of the joiner, ms after the click. */
  timeline?: string[]
}

type Phases = {
  /** The room route's loader data arrived (Remix navigation). */
  roomData?: number
  /** The room screen is in the document. */
  roomShown?: number
  joinAck?: number
  recvTransportAck?: number
  firstVideoConsumeAck?: number
  firstVideoResumeAck?: number
  /** The first audio consumer resumed: the first person in the room (the host) can be heard. */
  firstAudioResumeAck?: number
}

/** Where the time between the click and the first frame went, read from the socket.io frames. */
function phasesOf(marks: Marks & { roomDataAt?: number }): Phases {
  const click = marks.joinClick!
  const requests = new Map<number, { event: string; text: string }>()
  const acks = new Map<number, { at: number; text: string }>()
  for (const frame of marks.signaling) {
    if (frame.type === 'request') requests.set(frame.id!, { event: frame.event!, text: frame.text })
    if (frame.type === 'ack') acks.set(frame.id!, { at: frame.at, text: frame.text })
  }
  const ackedAt = (
    event: string,
    matches: (request: string, ack: string) => boolean = () => true,
  ) =>
    [...requests]
      .filter(([id, request]) => request.event === event && acks.has(id))
      .filter(([id, request]) => matches(request.text, acks.get(id)!.text))
      .map(([id]) => acks.get(id)!.at - click)
  const earliest = (values: number[]) => (values.length ? Math.min(...values) : undefined)
  const consumersOf = { audio: new Set<string>(), video: new Set<string>() }
  for (const [id, request] of requests) {
    const ack = acks.get(id)?.text ?? ''
    const kind = /"kind":"(audio|video)"/.exec(ack)?.[1] as 'audio' | 'video' | undefined
    const consumerId = /"id":"([^"]+)"/.exec(ack)?.[1]
    if (request.event === 'media:consume' && kind && consumerId) consumersOf[kind].add(consumerId)
  }
  const resumedAt = (kind: 'audio' | 'video') =>
    ackedAt('media:resumeConsumer', (r) =>
      [...consumersOf[kind]].some((consumerId) => r.includes(consumerId)),
    )
  return {
    roomData: marks.roomDataAt === undefined ? undefined : marks.roomDataAt - click,
    roomShown: marks.roomShown === undefined ? undefined : marks.roomShown - click,
    joinAck: earliest(ackedAt('media:join')),
    recvTransportAck: earliest(ackedAt('media:createTransport', (r) => r.includes('"recv"'))),
    firstVideoConsumeAck: earliest(
      ackedAt('media:consume', (_r, ack) => ack.includes('"kind":"video"')),
    ),
    firstVideoResumeAck: earliest(resumedAt('video')),
    firstAudioResumeAck: earliest(resumedAt('audio')),
  }
}

type Failure = { round: number; joiner: number; error: string }

type Participant = { context: BrowserContext; page: Page }

async function newParticipant(browser: Browser): Promise<Participant> {
  const context = await browser.newContext({ locale: 'en-US', viewport: DESKTOP })
  await context.addInitScript(instrumentPage)
  const page = await context.newPage()
  return { context, page }
}

type Crowd = 'apart' | 'full'

/**
 * When the room route's loader data had arrived (page clock): the last such fetch, the Join
 * navigation's own, not the pre-join page's prefetch.
 */
function roomDataArrival(page: Page): Promise<number | undefined> {
  return page.evaluate(
    () =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => /\/room(\.data|\?_data=)/.test(entry.name))
        .at(-1)
        ?.toJSON().responseEnd as number | undefined,
  )
}

/** A listener: stops receiving others' cameras (still sends their own) and, unless the host, mutes. */
async function listenQuietly(page: Page, options: { isHost: boolean }) {
  await page.getByTestId('device-menu').click()
  await page.getByTestId('incoming-video-toggle').click()
  await page.keyboard.press('Escape')
  if (!options.isHost) await page.getByTestId('mic-toggle').click()
}

/** The pre-join camera preview shows frames: the camera is warm before Join is clicked. */
async function waitForPreview(page: Page) {
  await page.waitForFunction(
    () => {
      const video = document.querySelector<HTMLVideoElement>('[data-testid="prejoin-video"]')
      return Boolean(video && video.readyState >= 2 && video.videoWidth > 0)
    },
    undefined,
    { timeout: 30_000, polling: 100 },
  )
}

async function waitForFirstFrame(page: Page) {
  await page.waitForFunction(
    () =>
      (window as unknown as { __marks: { firstRemoteFrame?: number } }).__marks.firstRemoteFrame !==
      undefined,
    undefined,
    { timeout: FIRST_FRAME_TIMEOUT_MS, polling: 'raf' },
  )
}

// ── The crowd's browser (--crowd apart) ─────────────────────────────────────────────────────────

const CROWD_GROUP = 'vstrecha-bench-crowd'

/** A second Chromium whose processes (and the ones they start later) are in the low-priority group. */
async function launchCrowdBrowser(group: CpuGroup): Promise<Browser> {
  const before = new Set(processTree().map((info) => info.pid))
  const crowdBrowser = await launchBrowser(fakeCameraArgs(camera))
  group.add(
    processTree()
      .filter((info) => !before.has(info.pid) && info.group.startsWith('chromium'))
      .map((info) => info.pid),
  )
  return crowdBrowser
}

// ── CPU of the processes this benchmark started, grouped ────────────────────────────────────────

type ProcessInfo = { pid: number; ppid: number; group: string; cpuMs: number }

function groupOf(pid: number, comm: string): string {
  if (comm.startsWith('mediasoup-work')) return 'mediasoup-worker'
  if (/^chrom/.test(comm)) {
    const isCrowd = readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(CROWD_GROUP)
    return isCrowd ? 'chromium (crowd, low priority)' : 'chromium'
  }
  const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ')
  if (cmdline.includes('server/main.ts')) return 'web'
  if (cmdline.includes('media-node/main.ts')) return 'media-node'
  if (cmdline.includes('workers/main.ts')) return 'workers'
  return comm
}

/** This process and all its descendants with their CPU time so far. */
function processTree(rootPid = process.pid): ProcessInfo[] {
  const all: ProcessInfo[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const pid = Number(entry)
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      all.push({ pid, ppid, group: groupOf(pid, comm), cpuMs: readProcessCpuMs(pid) })
    } catch {
      // exited meanwhile
    }
  }
  const inTree = new Set([rootPid])
  let grew = true
  while (grew) {
    grew = false
    for (const info of all) {
      if (!inTree.has(info.pid) && inTree.has(info.ppid)) {
        inTree.add(info.pid)
        grew = true
      }
    }
  }
  return all.filter((info) => inTree.has(info.pid))
}

/** CPU ms per group between two readings, added to `into` (a process new since `before` starts at 0). */
function addCpuByGroup(into: Map<string, number>, before: ProcessInfo[], after: ProcessInfo[]) {
  const start = new Map(before.map((info) => [info.pid, info.cpuMs]))
  for (const info of after) {
    const used = info.cpuMs - (start.get(info.pid) ?? 0)
    const group = info.pid === process.pid ? 'bench (node)' : info.group
    into.set(group, (into.get(group) ?? 0) + used)
  }
}

// ── Statistics ──────────────────────────────────────────────────────────────────────────────────

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function summarize(values: number[]) {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : Number.NaN,
  }
}

// ── One round: a new meeting, one person already in, then the joiners ───────────────────────────

/** A participant who is in the room with camera and microphone (the host of each round). */
async function joinRoom(browser: Browser, inviteUrl: string, name: string) {
  const participant = await newParticipant(browser)
  await openPrejoinAsGuest(participant.page, inviteUrl, name)
  await waitForPreview(participant.page)
  await participant.page.getByTestId('join-button').click()
  await waitUntilConnected(participant.page)
  return participant
}

async function runRound(options: {
  stack: Stack
  browser: Browser
  /** Where the crowd runs: a low-priority browser (apart), or `browser` (full). */
  crowdBrowser: Browser
  round: number
  joiners: number
  wave: number
  crowd: Crowd
  samples: Sample[]
  failures: Failure[]
  /** CPU ms per process group, measured until just before the round's pages close. */
  cpuMs: Map<string, number>
  timeline: boolean
}): Promise<number> {
  const { stack, browser, round, joiners, wave } = options
  const treeStart = processTree()
  const startedAt = performance.now()
  const inviteUrl = await createOpenMeeting(stack.database.db, stack.baseUrl)
  const inRoom: Participant[] = []
  try {
    // Someone is there already: the first joiner, too, has a remote camera to wait for.
    const host = await joinRoom(browser, inviteUrl, `Round ${round} host`)
    inRoom.push(host)
    if (options.crowd === 'apart') await listenQuietly(host.page, { isHost: true })
    await sleep(SETTLE_MS)

    for (let first = 1; first <= joiners; first += wave) {
      const indices = Array.from(
        { length: Math.min(wave, joiners - first + 1) },
        (_, i) => first + i,
      )
      const peersBefore = inRoom.length
      const group = await Promise.all(
        indices.map(async (joiner) => {
          const participant = await newParticipant(browser)
          inRoom.push(participant)
          await openPrejoinAsGuest(participant.page, inviteUrl, `Round ${round} joiner ${joiner}`)
          await waitForPreview(participant.page)
          return { joiner, participant }
        }),
      )
      await Promise.all(
        group.map(({ participant }) => participant.page.getByTestId('join-button').click()),
      )
      await Promise.all(
        group.map(async ({ joiner, participant }) => {
          try {
            await waitForFirstFrame(participant.page)
            const marks = {
              ...(await readMarks(participant.page)),
              roomDataAt: await roomDataArrival(participant.page),
            }
            const sample: Sample = {
              round,
              joiner,
              peersBefore,
              clickToFrameMs: marks.firstRemoteFrame! - marks.joinClick!,
              clickToJoinEmitMs: marks.joinEmit! - marks.joinClick!,
              joinEmitToFrameMs: marks.firstRemoteFrame! - marks.joinEmit!,
              phases: phasesOf(marks),
              timeline: options.timeline
                ? marks.signaling.map(
                    (frame) =>
                      `${fixed(frame.at - marks.joinClick!, 0)} ${frame.type} ${frame.id ?? ''} ${frame.event ?? ''} ${frame.text.slice(0, 160)}`,
                  )
                : undefined,
            }
            options.samples.push(sample)
            console.log(
              `  round ${round} joiner ${String(joiner).padStart(2)} (${peersBefore} in the room): ` +
                `click → frame ${fixed(sample.clickToFrameMs, 0)} ms ` +
                `(click → media:join ${fixed(sample.clickToJoinEmitMs, 0)}, ` +
                `media:join → frame ${fixed(sample.joinEmitToFrameMs, 0)})`,
            )
          } catch (error) {
            const message = error instanceof Error ? error.message.split('\n')[0]! : String(error)
            options.failures.push({ round, joiner, error: message })
            console.log(`  round ${round} joiner ${joiner}: FAILED ${message}`)
          }
        }),
      )
      if (options.crowd === 'apart') {
        for (const { joiner, participant } of group) {
          await participant.context.close()
          inRoom.splice(inRoom.indexOf(participant), 1)
          const member = await joinRoom(
            options.crowdBrowser,
            inviteUrl,
            `Round ${round} listener ${joiner}`,
          )
          inRoom.push(member)
          await listenQuietly(member.page, { isHost: false })
        }
      }
      await sleep(SETTLE_MS)
    }
    addCpuByGroup(options.cpuMs, treeStart, processTree())
    return performance.now() - startedAt
  } finally {
    await Promise.all(inRoom.map(({ context }) => context.close().catch(() => {})))
  }
}

// ── Main ────────────────────────────────────────────────────────────────────────────────────────

const { values } = parseArgs({
  options: {
    joiners: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    wave: { type: 'string', default: '1' },
    crowd: { type: 'string', default: 'apart' },
    'camera-fps': { type: 'string', default: '30' },
    timeline: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
})
if (values.help) {
  console.log(`usage: node bench/media/join-first-frame.ts [options]
  --joiners 10   participants joining one meeting, one after another (a host is in it already)
  --rounds 2     meetings in a row; samples are pooled (joiners × rounds)
  --wave 1       joiners clicking Join at the same moment
  --crowd apart  apart: the people already in the room (but the host) run in a low-priority
                 browser as listeners, standing for their own computers; full: every joiner
                 stays, talking and decoding everyone, in one browser (saturates 2 cores)
  --camera-fps 30  the fake cameras' frame rate: a webcam's 30; a resumed video waits for the
                 sender's next frame to be a keyframe, up to one frame interval (10: the A1 test's)
  --timeline     keep each joiner's signaling frames in the JSON (where the time went)`)
  process.exit(0)
}
const joiners = Number(values.joiners)
const rounds = Number(values.rounds)
const wave = Number(values.wave)
const crowd = values.crowd as Crowd
const camera = { ...SMALL_CAMERA, fps: Number(values['camera-fps']) }
if (crowd !== 'apart' && crowd !== 'full') {
  console.error('--crowd takes apart or full')
  process.exit(2)
}
if (![joiners, rounds, wave, camera.fps].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('--joiners, --rounds, --wave and --camera-fps take positive integers')
  process.exit(2)
}
for (const name of ['DATABASE_URL', 'REDIS_URL']) {
  if (!process.env[name]) {
    console.error(`${name} is not set (see the opening comment of this file or bench/README.md)`)
    process.exit(2)
  }
}

const loadBefore = snapshotMachine()
console.log(
  `Join → first remote frame: ${joiners} joiner(s) × ${rounds} round(s), wave ${wave}, crowd ${crowd}; ` +
    `camera ${camera.width}×${camera.height}@${camera.fps}; ` +
    `${os.availableParallelism()} CPUs; load before: ${describeLoad(loadBefore)}`,
)
// Same as a test run's global setup: the template every stack database is cloned from.
await createTemplateDatabase()
const [stack, browser] = await Promise.all([
  startStack({ media: true }),
  launchBrowser(fakeCameraArgs(camera)),
])
const crowdGroup = crowd === 'apart' ? createLowPriorityGroup(CROWD_GROUP) : null
if (crowdGroup && 'unavailable' in crowdGroup) {
  console.error(`--crowd apart: ${crowdGroup.unavailable}; run as root, or use --crowd full`)
  await Promise.all([browser.close(), stack.stop()])
  process.exit(2)
}
const crowdBrowser = crowdGroup ? await launchCrowdBrowser(crowdGroup) : browser
const samples: Sample[] = []
const failures: Failure[] = []
const chromiumVersion = browser.version()
const windowStart = snapshotMachine()
const cpuMs = new Map<string, number>()
let roundsMs = 0
let windowEnd = windowStart
try {
  for (let round = 1; round <= rounds; round++) {
    roundsMs += await runRound({
      ...{ stack, browser, crowdBrowser, round, joiners, wave, crowd, samples, failures, cpuMs },
      timeline: values.timeline,
    })
  }
  windowEnd = snapshotMachine()
} finally {
  await Promise.all([browser.close(), crowdBrowser.close()]).catch(() => {})
  await stack.stop().catch(() => {})
  crowdGroup?.remove()
}
const loadAfter = snapshotMachine()
const cpu = Object.fromEntries(
  [...cpuMs]
    .map(([group, ms]): [string, number] => [group, (ms / roundsMs) * 100])
    .sort((a, b) => b[1] - a[1]),
)

const clickToFrame = summarize(samples.map((s) => s.clickToFrameMs))
const emitToFrame = summarize(samples.map((s) => s.joinEmitToFrameMs))
const clickToEmit = summarize(samples.map((s) => s.clickToJoinEmitMs))
const phase = (name: keyof Phases) =>
  summarize(samples.flatMap((s) => (s.phases[name] === undefined ? [] : [s.phases[name]])))
const phases = {
  roomData: phase('roomData'),
  roomShown: phase('roomShown'),
  joinAck: phase('joinAck'),
  recvTransportAck: phase('recvTransportAck'),
  firstVideoConsumeAck: phase('firstVideoConsumeAck'),
  firstVideoResumeAck: phase('firstVideoResumeAck'),
  firstAudioResumeAck: phase('firstAudioResumeAck'),
}
const isMet = failures.length === 0 && clickToFrame.p95 <= TARGET_P95_MS
const busyPercent = machineBusyPercent(windowStart, windowEnd)

type Row = { name: string } & ReturnType<typeof summarize>
const COLUMNS: Array<Column<Row>> = [
  { title: 'interval', value: (row) => row.name, alignLeft: true },
  { title: 'n', value: (row) => String(row.n) },
  { title: 'p50 ms', value: (row) => fixed(row.p50, 0) },
  { title: 'p95 ms', value: (row) => fixed(row.p95, 0) },
  { title: 'max ms', value: (row) => fixed(row.max, 0) },
  { title: 'mean ms', value: (row) => fixed(row.mean, 0) },
]
console.log(
  `\n${formatTable(COLUMNS, [
    { name: 'Join click → first remote frame', ...clickToFrame },
    { name: 'Join click → media:join emit', ...clickToEmit },
    { name: 'media:join emit → first remote frame', ...emitToFrame },
    { name: 'Join click → room loader data', ...phases.roomData },
    { name: 'Join click → room on screen', ...phases.roomShown },
    { name: 'Join click → media:join ack', ...phases.joinAck },
    { name: 'Join click → receive transport ack', ...phases.recvTransportAck },
    { name: 'Join click → first video consume ack', ...phases.firstVideoConsumeAck },
    { name: 'Join click → first video resume ack', ...phases.firstVideoResumeAck },
    { name: 'Join click → first audio resume ack', ...phases.firstAudioResumeAck },
  ])}`,
)
const bySize = new Map<number, number[]>()
for (const sample of samples) {
  bySize.set(sample.peersBefore, [...(bySize.get(sample.peersBefore) ?? []), sample.clickToFrameMs])
}
console.log(
  `\nJoin click → first remote frame by people already in the room: ${[...bySize]
    .sort((a, b) => a[0] - b[0])
    .map(([size, values]) => `${size}: ${values.map((v) => fixed(v, 0)).join('/')}`)
    .join(', ')} ms`,
)
console.log(
  `\nmachine: load ${describeLoad(loadBefore)} → ${describeLoad(loadAfter)} (1/5/15 min); ` +
    `busy ${fixed(busyPercent, 0)}% of ${os.availableParallelism() * 100}% during the rounds`,
)
const ownPercent = Object.values(cpu).reduce((sum, percent) => sum + percent, 0)
console.log(
  `CPU of this benchmark's processes during the rounds (% of one core): ${Object.entries(cpu)
    .map(([group, percent]) => `${group} ${fixed(percent, 0)}%`)
    .join(
      ', ',
    )}; everything else on the machine ≈ ${fixed(Math.max(0, busyPercent - ownPercent), 0)}%`,
)
if (failures.length) console.log(`failed joins: ${failures.length}`)
console.log(
  `\nJoin click → first remote frame p95 ${fixed(clickToFrame.p95, 0)} ms ` +
    `(target ≤ ${TARGET_P95_MS} ms${failures.length ? ', and every join sees a frame' : ''})  ${passOrMiss(isMet)}`,
)
const file = writeResults('join-first-frame', {
  benchmark: 'join-first-frame',
  startedAt: loadBefore.at,
  environment: {
    node: process.version,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model,
    totalMemoryBytes: os.totalmem(),
    chromium: chromiumVersion,
  },
  config: { joiners, rounds, wave, crowd, camera, settleMs: SETTLE_MS },
  target: { p95Ms: TARGET_P95_MS },
  summary: { clickToFrame, clickToEmit, emitToFrame, phases },
  isMet,
  machine: {
    before: loadBefore,
    after: loadAfter,
    busyPercent,
    cpuPercentByGroup: cpu,
    othersPercent: Math.max(0, busyPercent - ownPercent),
  },
  samples,
  failures,
})
console.log(`\nresults: ${file}`)
