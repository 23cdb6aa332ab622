import { Worker } from 'node:worker_threads'
import type { ProtocolPdfInput } from './protocolPdf.js'

type Reply = { id: number; pdf: Uint8Array } | { id: number; error: string }
interface Pending {
  resolve(pdf: Buffer): void
  reject(error: Error): void
  timer: NodeJS.Timeout
}

/**
 * Renders protocol PDFs on a worker thread: pdfkit's layout is synchronous (about 0.3 s for a
 * 40-page pad), which on the server's thread would stall every sync connection. The worker starts
 * on first use and stays; a render that takes longer than `timeoutMs` kills it (the next render
 * starts a new one), so a pathological pad cannot hold the feature hostage.
 */
export class PdfRenderer {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  constructor(private readonly timeoutMs: number) {}

  render(input: ProtocolPdfInput): Promise<Buffer> {
    const worker = this.worker ?? this.start()
    const id = this.nextId++
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new Error(`rendering the PDF took longer than ${this.timeoutMs} ms`)), this.timeoutMs)
      this.pending.set(id, { resolve, reject, timer })
      worker.ref()
      worker.postMessage({ id, input })
    })
  }

  /** Stops the worker; renders still running fail. */
  async close(): Promise<void> {
    const worker = this.worker
    this.fail(new Error('the server is shutting down'))
    await worker?.terminate()
  }

  private start(): Worker {
    const worker = new Worker(new URL('./protocolPdf.worker.mjs', import.meta.url))
    worker.on('message', (reply: Reply) => {
      const pending = this.pending.get(reply.id)
      if (!pending) return
      this.pending.delete(reply.id)
      clearTimeout(pending.timer)
      if ('error' in reply) pending.reject(new Error(reply.error))
      else pending.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength))
      if (this.pending.size === 0) worker.unref()
    })
    worker.on('error', (error) => this.fail(error))
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null
    })
    this.worker = worker
    return worker
  }

  /** Fails every render in flight and drops the worker. */
  private fail(error: Error): void {
    const worker = this.worker
    this.worker = null
    void worker?.terminate()
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer)
      reject(error)
    }
    this.pending.clear()
  }
}
