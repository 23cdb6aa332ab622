import { describe, expect, it } from 'vitest'
import { PdfRenderer } from '../../server/pad/index.js'
import type { DeltaOp, PadPdfInput } from '../../server/pad/padPdf.js'

function protocol(content: DeltaOp[]): PadPdfInput {
  return { title: 'Meeting protocol', roomTitle: 'Renderer', generatedAt: new Date(Date.UTC(2026, 0, 1)), content }
}

/** About 3 s of layout: 2,000 such lines take about 300 ms (bench:pdf). */
const longPad = protocol([{ insert: `${Array.from({ length: 20_000 }, (_, line) => `Zeile ${line}: Die Teilnehmer besprechen den Haushalt und vertagen die Entscheidung.`).join('\n')}\n` }])
const shortPad = protocol([{ insert: 'Short\n' }])

describe('PDF rendering on the worker', () => {
  it('fails a render that runs out of time alone: the render waiting behind it runs on a new worker', async () => {
    const renderer = new PdfRenderer(1_000)
    try {
      const slow = renderer.render(longPad)
      const waiting = renderer.render(shortPad)
      await expect(slow).rejects.toThrow('rendering the PDF took longer than 1000 ms')
      expect((await waiting).subarray(0, 5).toString('latin1')).toBe('%PDF-')
    } finally {
      await renderer.close()
    }
  })

  it('fails the running and the waiting renders on close, and any later one at once', async () => {
    const renderer = new PdfRenderer(60_000)
    const renders = Promise.allSettled([renderer.render(longPad), renderer.render(shortPad)])
    await renderer.close()
    const reasons = (await renders).map((outcome) => outcome.status === 'rejected' && String(outcome.reason))
    expect(reasons).toEqual(['Error: the server is shutting down', 'Error: the server is shutting down'])
    await expect(renderer.render(shortPad)).rejects.toThrow('the server is shutting down')
  })
})
