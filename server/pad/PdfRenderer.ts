import { Worker } from 'node:worker_threads'
import type { PadPdfInput } from './padPdf.js'

type Reply = { ready: true } | { id: number; pdf: Uint8Array } | { id: number; error: string }
interface Job {
  id: number
  input: PadPdfInput
  resolve(pdf: Buffer): void
  reject(error: Error): void
}

/** Heap of the render worker: a pad that needs more fails its render instead of the server. */
const workerHeapMb = 512
/** Renders that may wait behind the running one; more fail at once instead of waiting for minutes. */
const maxWaiting = 16

/**
 * Renders protocol PDFs on a worker thread: pdfkit's layout is synchronous (about 0.3 s for a
 * 40-page pad), which on the server's thread would stall every sync connection. Jobs run one at a
 * time in arrival order, at most `maxWaiting` waiting; each has `timeoutMs` from the moment it
 * starts on a loaded worker (a worker's start and module loading do not count). A job that runs out of time (or
 * kills the worker) fails alone: the worker is replaced and the next job goes on.
 */
export class PdfRenderer {
  private worker: Worker | null = null
  private readonly queue: Job[] = []
  private running: { job: Job; timer: NodeJS.Timeout | null } | null = null
  private workerOnline = false
  private nextId = 1
  private closed = false

  constructor(private readonly timeoutMs: number) {}

  render(input: PadPdfInput): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('the server is shutting down'))
    if (this.queue.length >= maxWaiting) return Promise.reject(new Error(`${maxWaiting} PDFs are waiting to be rendered; try again later`))
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject })
      this.startNext()
    })
  }

  /** Stops the worker; queued and running renders fail. */
  async close(): Promise<void> {
    this.closed = true
    const error = new Error('the server is shutting down')
    if (this.running) this.finish(this.running.job, error)
    for (const job of this.queue.splice(0)) job.reject(error)
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private startNext(): void {
    if (this.running || this.closed) return
    const job = this.queue.shift()
    if (!job) {
      this.worker?.unref()
      return
    }
    const worker = this.worker ?? this.startWorker()
    worker.ref()
    this.running = { job, timer: null }
    if (this.workerOnline) this.startTimer()
    worker.postMessage({ id: job.id, input: job.input })
  }

  /** Starts the running job's clock (once its worker runs). */
  private startTimer(): void {
    const running = this.running
    if (!running || running.timer) return
    running.timer = setTimeout(() => this.abandonWorker(running.job, new Error(`rendering the PDF took longer than ${this.timeoutMs} ms`)), this.timeoutMs)
  }

  private startWorker(): Worker {
    const worker = new Worker(new URL('./padPdf.worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: workerHeapMb } })
    this.workerOnline = false
    worker.on('message', (reply: Reply) => {
      if ('ready' in reply) {
        if (this.worker !== worker) return
        this.workerOnline = true
        this.startTimer()
        return
      }
      const job = this.running?.job
      if (!job || job.id !== reply.id) return
      this.finish(job, 'error' in reply ? new Error(reply.error) : Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength))
      this.startNext()
    })
    const lost = (error: Error) => {
      if (this.worker !== worker) return
      this.worker = null
      if (this.running) this.finish(this.running.job, error)
      this.startNext()
    }
    worker.on('error', lost)
    worker.on('exit', (code) => lost(new Error(`the PDF worker stopped (exit code ${code})`)))
    this.worker = worker
    return worker
  }

  /** The running job failed in a way the worker cannot recover from (it is stuck in layout): replace the worker. */
  private abandonWorker(job: Job, error: Error): void {
    const worker = this.worker
    this.worker = null
    void worker?.terminate()
    this.finish(job, error)
    this.startNext()
  }

  private finish(job: Job, outcome: Buffer | Error): void {
    if (this.running?.job !== job) return
    if (this.running.timer) clearTimeout(this.running.timer)
    this.running = null
    if (outcome instanceof Error) job.reject(outcome)
    else job.resolve(outcome)
  }
}
