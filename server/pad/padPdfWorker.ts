import { parentPort } from 'node:worker_threads'
import { type PadPdfInput, renderPadPdf } from './padPdf.js'

/**
 * Renders protocol PDFs off the server's event loop: one request `{id, input}` in, `{id, pdf}` or
 * `{id, error}` out. `{ready: true}` says the renderer is loaded, so render timeouts start there.
 */
parentPort!.on('message', ({ id, input }: { id: number; input: PadPdfInput }) => {
  renderPadPdf(input).then(
    (pdf) => parentPort!.postMessage({ id, pdf }),
    (error: unknown) => parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) }),
  )
})

parentPort!.postMessage({ ready: true })
