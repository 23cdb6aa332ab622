import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import WebSocket from 'ws'
import { startFolio, tmpRoot } from './servers.js'
import { fmt, printMachine, printTable, progress } from './table.js'

/**
 * `npm run bench:users`: one `userBulkCreate` of 1,000 new accounts over the events websocket, as
 * an administrator imports a course. Each account is hashed (scrypt, four at a time) and written
 * in a transaction of its own; the table gives the whole call's time, accounts per second, and
 * the `progressUpdate` pushes the caller received, with the longest gap between two of them.
 */
const accounts = 1_000

const dir = join(tmpRoot, `users-${process.pid}`)
mkdirSync(dir, { recursive: true })
try {
  printMachine()
  const server = await startFolio(join(dir, 'folio.db'))
  try {
    const syncUrl = new URL(server.address('bench').url)
    const ws = new WebSocket(`ws://${syncUrl.host}/events${syncUrl.search}`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const progressAt: number[] = []
    let lastProgress = { current: 0, total: 0 }
    const answered = new Promise<{ success: boolean; message?: string; data?: { createdUsers: unknown[]; errors: unknown[] } }>((resolve) =>
      ws.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as { id?: number; event?: string; data?: unknown; success?: boolean }
        if (frame.event === 'progressUpdate') {
          progressAt.push(performance.now())
          lastProgress = frame.data as typeof lastProgress
        } else if (frame.id === 1) resolve(frame as never)
      }),
    )
    const users = Array.from({ length: accounts }, (_, index) => ({ email: `student${index}@example.test`, firstName: 'Student', lastName: String(index), roles: ['student'] }))
    progress(`users: userBulkCreate of ${accounts} accounts`)
    const started = performance.now()
    ws.send(JSON.stringify({ id: 1, event: 'userBulkCreate', data: { users, progressId: 'bench' } }))
    const answer = await answered
    const seconds = (performance.now() - started) / 1000
    ws.close()
    if (!answer.success) throw new Error(`userBulkCreate failed: ${answer.message}`)
    if (answer.data!.createdUsers.length !== accounts || answer.data!.errors.length > 0) throw new Error(`userBulkCreate made ${answer.data!.createdUsers.length} accounts with ${answer.data!.errors.length} errors`)
    const gaps = progressAt.slice(1).map((at, index) => at - progressAt[index]!)
    printTable(
      `userBulkCreate of ${accounts} new accounts (one events socket)`,
      ['seconds', 'accounts/s', 'progressUpdate pushes', 'last', 'first after ms', 'longest gap ms'],
      [[fmt(seconds, 1), fmt(accounts / seconds), String(progressAt.length), `${lastProgress.current}/${lastProgress.total}`, fmt(progressAt[0]! - started), fmt(Math.max(...gaps))]],
    )
  } finally {
    await server.stop()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
