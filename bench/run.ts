// `npm run bench`: lists the benchmarks; `npm run bench -- <name> [args]` runs one,
// `npm run bench -- all` runs each with its defaults, one after the other. A benchmark is any
// `bench/<area>/<name>.ts`; the first sentence of its opening comment describes it. Not part of `npm test`.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

const BENCH_DIR = import.meta.dirname
/** Folders that hold shared code or output, not benchmarks. */
const NOT_BENCHMARKS = new Set(['lib', 'results'])

type Benchmark = { name: string; file: string; description: string }

/** The first sentence of the file's opening comment. */
function describe(source: string): string {
  const comment: string[] = []
  for (const line of source.split('\n')) {
    if (!line.startsWith('//')) break
    comment.push(line.replace(/^\/\/\s*/, ''))
  }
  const text = comment.join(' ')
  const end = text.search(/\.(\s|$)/)
  return end === -1 ? text : text.slice(0, end + 1)
}

function findBenchmarks(): Benchmark[] {
  const benchmarks: Benchmark[] = []
  for (const area of readdirSync(BENCH_DIR, { withFileTypes: true })) {
    if (!area.isDirectory() || NOT_BENCHMARKS.has(area.name)) continue
    for (const file of readdirSync(path.join(BENCH_DIR, area.name)).sort()) {
      if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue
      const fullPath = path.join(BENCH_DIR, area.name, file)
      benchmarks.push({
        name: `${area.name}/${file.replace(/\.ts$/, '')}`,
        file: fullPath,
        description: describe(readFileSync(fullPath, 'utf8')),
      })
    }
  }
  return benchmarks.sort((a, b) => a.name.localeCompare(b.name))
}

function run(benchmark: Benchmark, args: string[]): number {
  console.log(`\n=== ${benchmark.name} ${args.join(' ')}`.trimEnd())
  const { status } = spawnSync(process.execPath, [benchmark.file, ...args], { stdio: 'inherit' })
  return status ?? 1
}

const benchmarks = findBenchmarks()
const [name, ...args] = process.argv.slice(2)

if (!name || name === '--help' || name === '-h') {
  console.log('Benchmarks (npm run bench -- <name> [args], or -- all; see bench/README.md):')
  for (const benchmark of benchmarks) {
    console.log(`  ${benchmark.name.padEnd(24)} ${benchmark.description}`)
  }
  process.exit(0)
}

if (name === 'all') {
  let failed = 0
  for (const benchmark of benchmarks) if (run(benchmark, args) !== 0) failed += 1
  process.exit(failed === 0 ? 0 : 1)
}

const chosen = benchmarks.find((benchmark) => benchmark.name === name || benchmark.file === name)
if (!chosen) {
  console.error(`unknown benchmark ${name}; one of: ${benchmarks.map((b) => b.name).join(', ')}`)
  process.exit(2)
}
process.exit(run(chosen, args))
