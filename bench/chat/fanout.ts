// Messenger fan-out: deliveries per second and end-to-end latency (p50/p99) of `messenger:post` to
// the 500 members of one channel at increasing send rates, side by side with a bare socket.io
// `io.to(room).emit` harness on the same receivers; then the durable path (send → commit → fan-out
// across 2 web instances) at up to 1,000 messages/s. Runs the product from tests/fixtures/stack.ts
// (web ×2, workers, its own database cloned from the test template, its own Redis prefix) on the
// production build; needs DATABASE_URL and REDIS_URL like the tests. See bench/README.md.
//
//   npm run bench:chat [-- --sockets 500 --rates 20,50,100,160,250,320,400 --durable-rates 250,500,1000]
//
// Receivers are socket.io clients spread over `--receivers` child processes; the sender is another
// child process. Every message body carries its send time (epoch ms from performance.timeOrigin +
// performance.now(), one clock for all processes on the machine); a receiver times each delivery
// into a 0.1 ms histogram. Each level is a warm-up, then a window; messages carry the phase number
// so late ones of a previous phase never count.
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { parseArgs } from 'node:util'
import { addOrganizationMembers, createOrganization } from '#tests/fixtures/factories.ts'
import { startStack, type Stack } from '#tests/fixtures/stack.ts'
import { sleep } from '../lib/async.ts'
import { forkBenchChild, type BenchChild } from '../lib/child-process.ts'
import type { handlers as BareHandlers } from '../lib/chat-bare-server-process.ts'
import { LatencyHistogram, type LatencySummary } from '../lib/chat-latency.ts'
import type { handlers as ReceiverHandlers } from '../lib/chat-receiver-process.ts'
import type {
  handlers as SenderHandlers,
  SendReport,
  SenderSpec,
} from '../lib/chat-sender-process.ts'
import {
  CONTENDED_OTHERS_PERCENT,
  QUIET_BUSY_PERCENT,
  CpuMeter,
  cpuMsBetween,
  machineBusyPercent,
  readCpuMsByCommand,
  snapshotMachine,
  waitForQuietMachine,
  type MachineSnapshot,
  type QuietWait,
} from '../lib/proc.ts'
import {
  describeLoad,
  fixed,
  formatTable,
  passOrMiss,
  writeResults,
  type Column,
} from '../lib/report.ts'
import { ensureTemplateDatabase } from '../lib/template-database.ts'

// ── What the issue asks for ─────────────────────────────────────────────────────────────────────
/** Fan-out: p99 at most this… */
const TARGET_FANOUT_P99_MS = 50
/** …at this many deliveries per second… */
const TARGET_FANOUT_DELIVERIES = 50_000
/** …and at least this many times the bare harness's deliveries/s at equal p99. */
const TARGET_BARE_RATIO = 1.5
/** Durable path: p99 at most this… */
const TARGET_DURABLE_P99_MS = 30
/** …at this many messages per second. */
const TARGET_DURABLE_RATE = 1000

/** A level counts as keeping up when at most this share of the deliveries is missing at the end. */
const MAX_MISSING_SHARE = 0.001
/** A mode stops climbing after a level with p99 above this or more missing than this share. */
const SATURATED_P99_MS = 1000
const SATURATED_MISSING_SHARE = 0.05
/** After the sender is done, wait this long at most for the last deliveries. */
const DRAIN_MS = 3000

const { values: args } = parseArgs({
  options: {
    sockets: { type: 'string', default: '500' },
    receivers: { type: 'string', default: '4' },
    senders: { type: 'string', default: '8' },
    rates: { type: 'string', default: '20,50,100,160,250,320,400' },
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    'durable-rates': { type: 'string', default: '250,500,1000' },
    'durable-conversations': { type: 'string', default: '50' },
    parts: { type: 'string', default: 'fanout,durable' },
    'equal-p99': { type: 'string', default: String(TARGET_FANOUT_P99_MS) },
    'quiet-wait': { type: 'string', default: '20' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (args.help) {
  console.log(`usage: node bench/chat/fanout.ts [options]   (needs DATABASE_URL and REDIS_URL)
  --parts fanout,durable        which parts to run: fanout (one channel, product vs bare
                                socket.io), durable (send → commit → fan-out, 2 instances);
                                --parts durable runs only the durable levels
  --sockets 500                 fan-out: receiving members of the channel, one socket each
  --receivers 4                 child processes the receiving sockets are spread over
  --senders 8                   fan-out: channel admins posting round-robin
  --rates 20,50,100,160,250,320,400 fan-out: messages/s per level
  --durable-rates 250,500,1000  durable: messages/s in total per level
  --durable-conversations 50    durable: two-person groups, one sender socket each
  --seconds 8 --warmup 2        window and warm-up per level, in seconds
  --equal-p99 50                fan-out vs bare: the p99 (ms) a level must stay under
  --quiet-wait 20               wait up to this many seconds for a quiet machine before a level`)
  process.exit(0)
}
const socketCount = Number(args.sockets)
const receiverProcesses = Number(args.receivers)
const senderSockets = Number(args.senders)
const rates = args.rates.split(',').map(Number)
const durableRates = args['durable-rates'].split(',').map(Number)
const durableConversations = Number(args['durable-conversations'])
const windowSeconds = Number(args.seconds)
const warmupSeconds = Number(args.warmup)
const parts = new Set(args.parts.split(','))
const equalP99Ms = Number(args['equal-p99'])
const quietWaitMs = Number(args['quiet-wait']) * 1000

// ── Setup ───────────────────────────────────────────────────────────────────────────────────────
/** better-auth's signed session cookie (better-call's signCookieValue: HMAC-SHA256, base64). */
function sessionCookie(token: string, secret: string): string {
  const signature = createHmac('sha256', secret).update(token).digest('base64')
  return `vstrecha.session_token=${encodeURIComponent(`${token}.${signature}`)}`
}

type BenchUser = { id: string; cookie: string }

/**
 * People straight into the database, each with a session (signing up 500 people through the
 * pages would take minutes and measure nothing): users of one organization and their cookies.
 */
async function createPeople(stack: Stack, secret: string, count: number, organizationId: string) {
  const db = stack.database.db
  const users: BenchUser[] = []
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, (_, offset) => ({
      id: randomUUID(),
      token: randomBytes(24).toString('hex'),
      index: start + offset,
    }))
    await db
      .insertInto('user')
      .values(
        batch.map((user) => ({
          id: user.id,
          name: `Bench Person ${user.index}`,
          email: `bench-${user.id}@example.com`,
          emailVerified: true,
        })),
      )
      .execute()
    await addOrganizationMembers(
      db,
      organizationId,
      batch.map((user) => user.id),
    )
    const expiresAt = new Date(Date.now() + 24 * 3600_000)
    await db
      .insertInto('session')
      .values(
        batch.map((user) => ({
          id: randomUUID(),
          token: user.token,
          userId: user.id,
          expiresAt,
          updatedAt: new Date(),
        })),
      )
      .execute()
    for (const user of batch) users.push({ id: user.id, cookie: sessionCookie(user.token, secret) })
  }
  return users
}

async function createConversationOf(
  stack: Stack,
  options: {
    organizationId: string
    kind: 'channel' | 'group'
    title: string
    admins: BenchUser[]
    members: BenchUser[]
  },
): Promise<string> {
  const db = stack.database.db
  const { id } = await db
    .insertInto('conversation')
    .values({
      organizationId: options.organizationId,
      kind: options.kind,
      title: options.title,
      description: '',
      isPublic: false,
      createdById: options.admins[0]!.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const rows = [
    ...options.admins.map((user) => ({
      conversationId: id,
      userId: user.id,
      role: 'admin' as const,
    })),
    ...options.members.map((user) => ({
      conversationId: id,
      userId: user.id,
      role: 'member' as const,
    })),
  ]
  for (let start = 0; start < rows.length; start += 500) {
    await db
      .insertInto('conversationMember')
      .values(rows.slice(start, start + 500))
      .execute()
  }
  return id
}

/** `items` dealt round-robin into `parts` lists. */
const deal = <T>(items: T[], parts: number): T[][] =>
  Array.from({ length: parts }, (_, part) => items.filter((_, index) => index % parts === part))

// ── Measuring ───────────────────────────────────────────────────────────────────────────────────
type Mode = 'product' | 'bare' | 'durable'

type Level = {
  mode: Mode
  /** Messages per second offered by the sender. */
  rate: number
  /** Receiving sockets per message. */
  fanout: number
  sent: number
  expected: number
  delivered: number
  missing: number
  /** Delivered / the sending window. */
  deliveriesPerSecond: number
  latency: LatencySummary
  ack: LatencySummary
  ackErrors: Record<string, number>
  senderLateness: LatencySummary
  otherPhase: number
  cpu: Record<string, number>
  machineBusyPercent: number
  othersPercent: number
  isContended: boolean
  quietWait: QuietWait
  loadBefore: MachineSnapshot['loadavg']
  loadAfter: MachineSnapshot['loadavg']
}

type Processes = {
  receivers: Array<BenchChild<typeof ReceiverHandlers>>
  sender: BenchChild<typeof SenderHandlers>
  bare: BenchChild<typeof BareHandlers>
  /** Processes whose CPU is shown, by label. */
  pids: Record<string, number[]>
}

let phaseCounter = 0

async function setPhase(processes: Processes, phase: number) {
  await Promise.all(processes.receivers.map((receiver) => receiver.call('setPhase', { phase })))
}

async function deliveredCount(processes: Processes, group: string): Promise<number> {
  const counts = await Promise.all(processes.receivers.map((receiver) => receiver.call('counts')))
  return counts.reduce((sum, count) => sum + (count[group] ?? 0), 0)
}

async function runLevel(
  processes: Processes,
  options: { mode: Mode; rate: number; fanout: number },
): Promise<Level> {
  const { mode, rate, fanout } = options
  const senderSet = mode
  const group = mode
  const quietWait = await waitForQuietMachine({
    maxBusyPercent: QUIET_BUSY_PERCENT,
    timeoutMs: quietWaitMs,
    sampleMs: 1000,
  })
  // Warm-up (JIT, pools, socket buffers), in a phase of its own that is then thrown away.
  const warmupPhase = ++phaseCounter
  await setPhase(processes, warmupPhase)
  await processes.sender.call('run', {
    name: senderSet,
    rate,
    seconds: warmupSeconds,
    phase: warmupPhase,
  })
  await sleep(300)

  const phase = ++phaseCounter
  await setPhase(processes, phase)
  const before = snapshotMachine()
  const meters = Object.fromEntries(
    Object.entries(processes.pids).map(([label, pids]) => [
      label,
      pids.map((pid) => new CpuMeter(pid)),
    ]),
  )
  const servicesBefore = readCpuMsByCommand(['postgres', 'redis-server'])
  const startedAt = performance.now()
  const sent: SendReport = await processes.sender.call('run', {
    name: senderSet,
    rate,
    seconds: windowSeconds,
    phase,
  })
  const expected = sent.sent * fanout
  const drainUntil = performance.now() + DRAIN_MS
  while (performance.now() < drainUntil) {
    if ((await deliveredCount(processes, group)) >= expected) break
    await sleep(50)
  }
  const elapsedMs = performance.now() - startedAt
  const cpu: Record<string, number> = {}
  for (const [label, list] of Object.entries(meters)) {
    cpu[label] = list.reduce((sum, meter) => sum + meter.usedMs(), 0) / (elapsedMs / 100)
  }
  cpu['pg+redis'] =
    cpuMsBetween(servicesBefore, readCpuMsByCommand(['postgres', 'redis-server'])) /
    (elapsedMs / 100)
  const after = snapshotMachine()
  const reports = await Promise.all(processes.receivers.map((receiver) => receiver.call('report')))
  const histogram = new LatencyHistogram()
  let otherPhase = 0
  for (const report of reports) {
    const part = report[group]
    if (!part) continue
    histogram.addSparse(part.histogram)
    otherPhase += part.otherPhase
  }
  const busy = machineBusyPercent(before, after)
  // PostgreSQL and Redis are shared with everyone on the machine: not subtracted from "others".
  const ours = Object.entries(cpu)
    .filter(([label]) => label !== 'pg+redis')
    .reduce((sum, [, value]) => sum + value, 0)
  const others = busy - ours
  const delivered = histogram.count
  return {
    mode,
    rate,
    fanout,
    sent: sent.sent,
    expected,
    delivered,
    missing: Math.max(0, expected - delivered),
    deliveriesPerSecond: delivered / (sent.elapsedMs / 1000),
    latency: histogram.summary(),
    ack: sent.ack,
    ackErrors: {
      ...sent.ackErrors,
      ...(sent.ackMissing ? { 'no ack': sent.ackMissing } : {}),
    },
    senderLateness: sent.lateness,
    otherPhase,
    cpu,
    machineBusyPercent: busy,
    othersPercent: others,
    isContended: others > CONTENDED_OTHERS_PERCENT,
    quietWait,
    loadBefore: before.loadavg,
    loadAfter: after.loadavg,
  }
}

const keepsUp = (level: Level) => level.missing <= level.expected * MAX_MISSING_SHARE
const isSaturated = (level: Level) =>
  !(level.latency.p99 <= SATURATED_P99_MS) ||
  level.missing > level.expected * SATURATED_MISSING_SHARE

function describeLevel(level: Level): string {
  const errors = Object.entries(level.ackErrors)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ')
  return (
    `  ${level.mode.padEnd(7)} ${String(level.rate).padStart(5)} msg/s → ` +
    `${Math.round(level.deliveriesPerSecond).toLocaleString('en')} deliveries/s, ` +
    `p50 ${fixed(level.latency.p50)} p99 ${fixed(level.latency.p99)} ms, ` +
    `missing ${level.missing}${errors ? `, acks: ${errors}` : ''}; ` +
    `others ${fixed(level.othersPercent, 0)}%${level.isContended ? ' (contended)' : ''}, ` +
    `load ${level.loadBefore[0].toFixed(2)} → ${level.loadAfter[0].toFixed(2)}`
  )
}

// ── Run ─────────────────────────────────────────────────────────────────────────────────────────
const machineAtStart = snapshotMachine()
console.log(
  `bench:chat — ${socketCount} sockets over ${receiverProcesses} receiver processes, ` +
    `${senderSockets} sender sockets; rates ${rates.join(', ')} msg/s; durable ${durableRates.join(', ')} msg/s ` +
    `over ${durableConversations} conversations; ${warmupSeconds} s warm-up + ${windowSeconds} s per level\n` +
    `load ${describeLoad(machineAtStart)} on ${machineAtStart.cpus} cores`,
)

await ensureTemplateDatabase()
const authSecret = randomBytes(24).toString('hex')
const stack = await startStack({
  // Every bench person posts from 127.0.0.1 at chat-server rates, not a person's.
  env: { AUTH_SECRET: authSecret, RATE_LIMIT_FACTOR: '100000' },
})
const levels: Level[] = []
let processes: Processes | undefined
try {
  const second = await stack.startWebInstance()
  const db = stack.database.db
  const owner = await db
    .insertInto('user')
    .values({
      id: randomUUID(),
      name: 'Bench Owner',
      email: `bench-owner-${randomUUID()}@example.com`,
      emailVerified: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const organization = await createOrganization(db, owner)
  const people = await createPeople(
    stack,
    authSecret,
    socketCount + senderSockets + 2 * durableConversations,
    organization.id,
  )
  const channelMembers = people.slice(0, socketCount)
  const channelAdmins = people.slice(socketCount, socketCount + senderSockets)
  const durablePeople = people.slice(socketCount + senderSockets)
  const channelId = await createConversationOf(stack, {
    organizationId: organization.id,
    kind: 'channel',
    title: 'Announcements',
    admins: channelAdmins,
    members: channelMembers,
  })
  // Durable path: pairs; the sender on one instance, the receiver on the other (alternating).
  const durableSenders: SenderSpec[] = []
  const durableReceiversA: string[] = []
  const durableReceiversB: string[] = []
  for (let index = 0; index < durableConversations; index += 1) {
    const sender = durablePeople[2 * index]!
    const receiver = durablePeople[2 * index + 1]!
    const conversationId = await createConversationOf(stack, {
      organizationId: organization.id,
      kind: 'group',
      title: `Pair ${index}`,
      admins: [sender],
      members: [receiver],
    })
    const senderOnA = index % 2 === 0
    durableSenders.push({
      url: senderOnA ? stack.baseUrl : second.baseUrl,
      cookie: sender.cookie,
      conversationId,
    })
    ;(senderOnA ? durableReceiversB : durableReceiversA).push(receiver.cookie)
  }

  const receiverUrl = new URL('../lib/chat-receiver-process.ts', import.meta.url)
  const receivers = await Promise.all(
    Array.from({ length: receiverProcesses }, () =>
      forkBenchChild<typeof ReceiverHandlers>(receiverUrl),
    ),
  )
  const sender = await forkBenchChild<typeof SenderHandlers>(
    new URL('../lib/chat-sender-process.ts', import.meta.url),
  )
  const bare = await forkBenchChild<typeof BareHandlers>(
    new URL('../lib/chat-bare-server-process.ts', import.meta.url),
  )
  const bareServer = await bare.call('listen')
  processes = {
    receivers,
    sender,
    bare,
    pids: {
      web: [stack.web.pid!],
      'web-2': [second.process.pid!],
      bare: [bareServer.pid],
      receivers: receivers.map((receiver) => receiver.pid),
      sender: [sender.pid],
      bench: [process.pid],
    },
  }

  const setupStartedAt = performance.now()
  if (parts.has('fanout')) {
    const memberCookies = deal(
      channelMembers.map((member) => member.cookie),
      receiverProcesses,
    )
    const bareCounts = deal(
      channelMembers.map(() => 1),
      receiverProcesses,
    )
    await Promise.all(
      receivers.map(async (receiver, index) => {
        await receiver.call('connect', {
          group: 'product',
          url: stack.baseUrl,
          cookies: memberCookies[index]!,
        })
        await receiver.call('connect', {
          group: 'bare',
          url: bareServer.url,
          count: bareCounts[index]!.length,
          auth: { role: 'receiver' },
        })
      }),
    )
    await sender.call('connect', {
      name: 'product',
      mode: 'product',
      senders: channelAdmins.map((admin) => ({
        url: stack.baseUrl,
        cookie: admin.cookie,
        conversationId: channelId,
      })),
    })
    await sender.call('connect', {
      name: 'bare',
      mode: 'bare',
      senders: channelAdmins.map(() => ({ url: bareServer.url })),
    })
  }
  if (parts.has('durable')) {
    await Promise.all(
      receivers.map(async (receiver, index) => {
        const onA = deal(durableReceiversA, receiverProcesses)[index]!
        const onB = deal(durableReceiversB, receiverProcesses)[index]!
        if (onA.length) {
          await receiver.call('connect', { group: 'durable', url: stack.baseUrl, cookies: onA })
        }
        if (onB.length) {
          await receiver.call('connect', { group: 'durable', url: second.baseUrl, cookies: onB })
        }
      }),
    )
    await sender.call('connect', { name: 'durable', mode: 'product', senders: durableSenders })
  }
  console.log(`connected in ${fixed((performance.now() - setupStartedAt) / 1000)} s`)

  if (parts.has('fanout')) {
    console.log(`\nFan-out: one channel, ${socketCount} receiving sockets`)
    const stopped = new Set<Mode>()
    for (const [index, rate] of rates.entries()) {
      // Alternate which side goes first (ABBA…), so a steady drift in the machine's load cancels.
      const order: Mode[] = index % 2 === 0 ? ['product', 'bare'] : ['bare', 'product']
      for (const mode of order) {
        if (stopped.has(mode)) continue
        const level = await runLevel(processes, { mode, rate, fanout: socketCount })
        levels.push(level)
        console.log(describeLevel(level))
        if (isSaturated(level)) stopped.add(mode)
      }
    }
  }
  if (parts.has('durable')) {
    console.log(
      `\nDurable path: ${durableConversations} conversations, sender and receiver on different instances`,
    )
    for (const rate of durableRates) {
      const level = await runLevel(processes, { mode: 'durable', rate, fanout: 1 })
      levels.push(level)
      console.log(describeLevel(level))
      if (isSaturated(level)) break
    }
  }
} finally {
  if (processes) {
    await Promise.all(processes.receivers.map((receiver) => receiver.call('closeAll')))
    await processes.sender.call('closeAll')
    await processes.bare.call('close')
    await Promise.all(
      [...processes.receivers, processes.sender, processes.bare].map((child) => child.stop()),
    )
  }
  await stack.stop()
}
const machineAtEnd = snapshotMachine()

// ── Report ──────────────────────────────────────────────────────────────────────────────────────
const ms = (value: number) => fixed(value, 1)
const columns: Array<Column<Level>> = [
  { title: 'mode', value: (l) => l.mode, alignLeft: true },
  { title: 'msg/s', value: (l) => String(l.rate) },
  { title: 'offered del/s', value: (l) => Math.round(l.rate * l.fanout).toLocaleString('en') },
  { title: 'deliveries/s', value: (l) => Math.round(l.deliveriesPerSecond).toLocaleString('en') },
  { title: 'missing', value: (l) => String(l.missing) },
  { title: 'p50 ms', value: (l) => ms(l.latency.p50) },
  { title: 'p99 ms', value: (l) => ms(l.latency.p99) },
  { title: 'max ms', value: (l) => ms(l.latency.max) },
  {
    title: 'ack p50/p99',
    value: (l) => (l.mode === 'bare' ? '-' : `${ms(l.ack.p50)}/${ms(l.ack.p99)}`),
  },
  { title: 'send late p99', value: (l) => ms(l.senderLateness.p99) },
  {
    title: 'cpu server %',
    value: (l) =>
      l.mode === 'bare'
        ? fixed(l.cpu.bare!, 0)
        : `${fixed(l.cpu.web!, 0)}+${fixed(l.cpu['web-2']!, 0)}`,
  },
  { title: 'recv %', value: (l) => fixed(l.cpu.receivers!, 0) },
  { title: 'send %', value: (l) => fixed(l.cpu.sender!, 0) },
  { title: 'pg+redis %', value: (l) => fixed(l.cpu['pg+redis']!, 0) },
  {
    title: 'others %',
    value: (l) => `${fixed(l.othersPercent, 0)}${l.isContended ? '!' : ''}`,
  },
  {
    title: 'load before → after',
    value: (l) => `${l.loadBefore[0].toFixed(2)} → ${l.loadAfter[0].toFixed(2)}`,
  },
]
console.log(
  `\n${formatTable(columns, levels)}\n` +
    `(latency: send → receipt of messenger:message, all receiving sockets; ack: send → commit ack; ` +
    `cpu in % of one core: server = web + web-2 (product) or the bare server, recv = all receiver ` +
    `processes; pg+redis includes other people's use; ! = others > ${CONTENDED_OTHERS_PERCENT}%)`,
)

const best = (mode: Mode) =>
  Math.max(
    0,
    ...levels
      .filter((l) => l.mode === mode && keepsUp(l) && l.latency.p99 <= equalP99Ms)
      .map((l) => l.deliveriesPerSecond),
  )
const verdicts: Record<string, boolean> = {}
if (parts.has('fanout')) {
  const atTarget = levels.filter(
    (l) => l.mode === 'product' && l.rate * l.fanout >= TARGET_FANOUT_DELIVERIES,
  )
  const fanoutMet = atTarget.some((l) => keepsUp(l) && l.latency.p99 <= TARGET_FANOUT_P99_MS)
  const productBest = best('product')
  const bareBest = best('bare')
  const ratio = bareBest > 0 ? productBest / bareBest : NaN
  verdicts.fanout = fanoutMet
  verdicts.ratio = ratio >= TARGET_BARE_RATIO
  console.log(
    `\n${passOrMiss(fanoutMet)}  fan-out: p99 ≤ ${TARGET_FANOUT_P99_MS} ms at ≥ ${TARGET_FANOUT_DELIVERIES.toLocaleString('en')} deliveries/s ` +
      `(${atTarget.length ? atTarget.map((l) => `${l.rate} msg/s: p99 ${ms(l.latency.p99)} ms, missing ${l.missing}`).join('; ') : 'no such level ran'})\n` +
      `${passOrMiss(verdicts.ratio)}  vs bare socket.io at equal p99 (≤ ${equalP99Ms} ms): product ` +
      `${Math.round(productBest).toLocaleString('en')} deliveries/s, bare ${Math.round(bareBest).toLocaleString('en')} → ` +
      `ratio ${fixed(ratio, 2)} (target ≥ ${TARGET_BARE_RATIO})`,
  )
}
if (parts.has('durable')) {
  const atTarget = levels.filter((l) => l.mode === 'durable' && l.rate >= TARGET_DURABLE_RATE)
  verdicts.durable = atTarget.some((l) => keepsUp(l) && l.latency.p99 <= TARGET_DURABLE_P99_MS)
  console.log(
    `${passOrMiss(verdicts.durable)}  durable path across 2 instances: p99 ≤ ${TARGET_DURABLE_P99_MS} ms at ` +
      `${TARGET_DURABLE_RATE} msg/s (${atTarget.length ? atTarget.map((l) => `p99 ${ms(l.latency.p99)} ms, ack p99 ${ms(l.ack.p99)} ms, missing ${l.missing}`).join('; ') : 'no such level ran'})`,
  )
}
const contended = levels.filter((l) => l.isContended).length
if (contended) {
  console.log(
    `${contended} of ${levels.length} levels ran on a contended machine: rerun when it is quiet`,
  )
}
console.log(
  `\nMachine load (1/5/15 min) before ${describeLoad(machineAtStart)}, after ${describeLoad(machineAtEnd)}`,
)
const file = writeResults('chat-fanout', {
  config: {
    sockets: socketCount,
    receiverProcesses,
    senderSockets,
    rates,
    durableRates,
    durableConversations,
    windowSeconds,
    warmupSeconds,
    equalP99Ms,
  },
  machineAtStart,
  machineAtEnd,
  levels,
  verdicts,
})
console.log(`results: ${file}`)
