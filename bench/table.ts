import { cpus, totalmem } from 'node:os'

/** Prints a titled, column-aligned table on stdout; the first column is left-aligned, the others right. */
export function printTable(title: string, header: string[], rows: string[][]): void {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')
  process.stdout.write(`\n${title}\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`)
  for (const row of rows) process.stdout.write(`${line(row)}\n`)
}

/** A number with `digits` decimals and thousands separators. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** Folio's value over the reference's (or any a / b), as `0.42x`; two significant digits below 0.1. */
export function ratio(a: number, b: number): string {
  const value = a / b
  return `${value < 0.1 ? value.toPrecision(2) : value.toFixed(2)}x`
}

/** Progress goes to stderr so that stdout holds only the result tables. */
export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`)
}

/** The machine a bench ran on, as the first table of its output. */
export function printMachine(): void {
  const cpu = cpus()
  printTable(
    'Machine',
    ['machine', ''],
    [
      ['CPU', cpu[0]?.model ?? 'unknown'],
      ['cores', String(cpu.length)],
      ['memory', `${(totalmem() / 2 ** 30).toFixed(1)} GiB`],
      ['Node', process.version],
      ['date', new Date().toISOString()],
    ],
  )
}
