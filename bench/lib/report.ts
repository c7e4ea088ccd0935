// Printing and saving benchmark results: aligned text tables and a JSON file per run under
// bench/results/ (gitignored; copy the numbers that matter into the issue or PR).
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { MachineSnapshot } from './proc.ts'

export const RESULTS_DIR = path.join(import.meta.dirname, '..', 'results')

export type Column<Row> = {
  title: string
  value: (row: Row) => string
  /** Right-aligned by default (numbers). */
  alignLeft?: boolean
}

export function formatTable<Row>(columns: Array<Column<Row>>, rows: Row[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)))
  const widths = columns.map((column, i) =>
    Math.max(column.title.length, ...cells.map((line) => line[i]!.length)),
  )
  const pad = (text: string, i: number) =>
    columns[i]!.alignLeft ? text.padEnd(widths[i]!) : text.padStart(widths[i]!)
  const lines = [
    columns.map((column, i) => pad(column.title, i)).join('  '),
    widths.map((width) => '-'.repeat(width)).join('  '),
    ...cells.map((line) => line.map(pad).join('  ')),
  ]
  return lines.join('\n')
}

export const fixed = (value: number, digits = 1) =>
  Number.isFinite(value) ? value.toFixed(digits) : '-'

export const megabytes = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`

export const passOrMiss = (isMet: boolean) => (isMet ? 'PASS' : 'MISS')

export function describeLoad(snapshot: MachineSnapshot): string {
  return snapshot.loadavg.map((value) => value.toFixed(2)).join(' ')
}

/** Writes `bench/results/<name>-<timestamp>.json` and returns its path. */
export function writeResults(name: string, data: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`)
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}
