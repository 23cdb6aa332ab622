// Runs SQLite's WAL checkpoints on a worker thread with its own connection, so copying the WAL
// back into the database (10-16 ms every ~450 commits on the bench machine) never stalls the
// event loop that serves clients. Plain JavaScript: a worker must load without the TS loader.
import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

const db = new Database(workerData.path)
db.pragma('busy_timeout = 5000')
// PASSIVE never waits for or blocks the server's connection; it copies what it can.
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs)
parentPort.on('message', (message) => {
  if (message !== 'stop') return
  clearInterval(timer)
  db.pragma('wal_checkpoint(PASSIVE)')
  db.close()
  parentPort.close()
})
