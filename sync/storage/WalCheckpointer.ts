import { Worker } from 'node:worker_threads'
import type { FolioDatabase } from './database.js'

/**
 * Moves WAL checkpoints off the event loop: the server's connection stops checkpointing on its
 * own and a worker thread checkpoints every `intervalMs` instead. If the worker fails, the
 * connection goes back to SQLite's automatic checkpoints, so the WAL never grows unbounded.
 */
export class WalCheckpointer {
  private readonly worker: Worker
  private stopped = false

  constructor(
    private readonly db: FolioDatabase,
    path: string,
    intervalMs: number,
    onError: (error: Error) => void,
  ) {
    db.$client.pragma('wal_autocheckpoint = 0')
    this.worker = new Worker(new URL('./walCheckpoint.worker.mjs', import.meta.url), { workerData: { path, intervalMs } })
    this.worker.on('error', (error) => {
      this.restoreAutomaticCheckpoints()
      onError(error)
    })
    this.worker.unref()
  }

  /** Stops the worker after a last checkpoint; the connection checkpoints automatically again. */
  async stop(): Promise<void> {
    if (this.stopped) return
    this.stopped = true
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.postMessage('stop')
    await exited
    this.restoreAutomaticCheckpoints()
  }

  private restoreAutomaticCheckpoints(): void {
    if (this.db.$client.open) this.db.$client.pragma('wal_autocheckpoint = 1000')
  }
}
