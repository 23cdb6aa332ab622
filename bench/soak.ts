import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { tmpRoot } from './servers.js'
import { Soak } from './soakCycle.js'
import { fmt, printMachine, printTable, progress } from './table.js'

/**
 * `npm run bench:soak [-- --cycles 100]`: Folio SIGKILLed under write load from stock clients and
 * restarted on the same database, `--cycles` times; counts the updates clients had received through
 * the server that the restarted server no longer has. Exits 1 if any is lost.
 */
const { values } = parseArgs({ options: { cycles: { type: 'string', default: '100' } } })
const cycles = Number(values.cycles)
if (!Number.isInteger(cycles) || cycles < 1) throw new Error(`--cycles must be a positive integer, not ${values.cycles}`)

const dir = join(tmpRoot, `soak-${process.pid}`)
mkdirSync(dir, { recursive: true })
let seen = 0
const lost: string[] = []
const killTimes: number[] = []
const start = performance.now()
try {
  printMachine()
  const soak = await Soak.start(join(dir, 'folio.db'))
  try {
    for (let cycle = 1; cycle <= cycles; cycle++) {
      const result = await soak.cycle(cycle)
      seen += result.seen
      lost.push(...result.lost)
      killTimes.push(result.killAfterMs)
      progress(`cycle ${cycle}/${cycles}: killed ${fmt(result.killAfterMs)} ms into the load, ${fmt(result.seen)} seen, ${fmt(result.lost.length)} lost`)
    }
  } finally {
    await soak.stop()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
printTable('Crash soak: SIGKILL under write load from 3 stock clients, restart on the same database', ['', ''], [
  ['cycles (SIGKILL + restart)', fmt(cycles)],
  ['updates seen from the server', fmt(seen)],
  ['updates lost after restart', fmt(lost.length)],
  ['kill moments after the load began', `${fmt(Math.min(...killTimes))}-${fmt(Math.max(...killTimes))} ms`],
  ['elapsed', `${fmt((performance.now() - start) / 1000, 1)} s`],
])
if (lost.length > 0) {
  process.stderr.write(`lost, first ${Math.min(20, lost.length)}: ${lost.slice(0, 20).join(', ')}\n`)
  process.exit(1)
}
