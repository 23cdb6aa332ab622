import { Worker } from 'node:worker_threads'
import type { FolioDatabase } from '../../schema/db/index.js'

/**
 * How long `stop` waits for the worker's last checkpoint before leaving it behind. Skipping that
 * checkpoint loses nothing: the WAL stays valid and is checkpointed by the next connection.
 */
const lastCheckpointTimeoutMs = 2_000

/**
 * Moves WAL checkpoints off the event loop: the server's connection stops checkpointing on its
 * own and a worker thread checkpoints every `intervalMs` instead. If the worker fails, the
 * connection goes back to SQLite's automatic checkpoints, so the WAL never grows unbounded.
 */
export class WalCheckpointer {
  private readonly worker: Worker
  /** Resolves once the worker thread is gone, whether it stopped, failed or was terminated. */
  private readonly exited: Promise<void>
  private stopping: Promise<void> | null = null

  constructor(
    private readonly db: FolioDatabase,
    path: string,
    intervalMs: number,
    private readonly onError: (error: Error) => void,
  ) {
    db.$client.pragma('wal_autocheckpoint = 0')
    this.worker = new Worker(new URL('./walCheckpoint.worker.mjs', import.meta.url), { workerData: { path, intervalMs } })
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()))
    this.worker.on('error', (error) => {
      this.restoreAutomaticCheckpoints()
      onError(error)
    })
    // The worker must never keep the process alive on its own; `stop` waits for it with a timer.
    this.worker.unref()
  }

  /**
   * Stops the worker after a last checkpoint; the connection checkpoints automatically again.
   * Always settles: a worker that already died is not waited for, one that hangs is left behind.
   */
  stop(): Promise<void> {
    return (this.stopping ??= this.stopWorker())
  }

  private async stopWorker(): Promise<void> {
    this.worker.postMessage('stop')
    // The timer also keeps a process with nothing else to do alive until the worker is gone: the
    // unreferenced worker alone would let it exit with `stop` never settled.
    let timer: NodeJS.Timeout | undefined
    const stoppedInTime = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), lastCheckpointTimeoutMs))),
    ])
    clearTimeout(timer)
    if (!stoppedInTime) {
      // Not terminated: a worker terminated inside a better-sqlite3 call aborts the whole process when
      // that call fails. Unreferenced, it stops on its own once SQLite lets it go, or dies with the process.
      this.onError(new Error(`the WAL checkpoint worker did not stop within ${lastCheckpointTimeoutMs} ms; left to stop on its own`))
    }
    this.restoreAutomaticCheckpoints()
  }

  private restoreAutomaticCheckpoints(): void {
    if (this.db.$client.open) this.db.$client.pragma('wal_autocheckpoint = 1000')
  }
}
