// Runs SQLite's WAL checkpoints on a worker thread with its own connection, so copying the WAL
// back into the database (10-16 ms every ~450 commits on the bench machine) never stalls the
// event loop that serves clients. Plain JavaScript: a worker must load without the TS loader.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

// A failure ends the worker with an uncaught error, which reaches the parent as a structured clone.
// better-sqlite3's SqliteError is no real Error to that clone and would arrive as a bare `{ code }`.
function sqlite(run) {
  try {
    return run()
  } catch (error) {
    throw new Error(`${error.message}${error.code ? ` (${error.code})` : ''}`)
  }
}

const db = sqlite(() => new Database(workerData.path))
db.pragma('busy_timeout = 5000')
// PASSIVE never waits for or blocks the server's connection; it copies what it can.
const checkpoint = () => sqlite(() => db.pragma('wal_checkpoint(PASSIVE)'))
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message !== 'stop') return
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort.close()
})
