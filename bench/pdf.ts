import { PdfRenderer } from '../server/pad/index.js'
import { type DeltaOp, renderPadPdf } from '../server/pad/padPdf.js'
import { median } from './stats.js'
import { fmt, printTable, progress } from './table.js'
import { loadTrace } from './trace.js'

/**
 * `npm run bench:pdf`: what `generate_pdf` costs and what it costs everyone else. Renders pads of
 * three sizes on the server's thread and through the worker (`PdfRenderer`, as the server does),
 * timing each render and the longest event-loop stall meanwhile: a stall is time every sync
 * connection waits. The large pad is the final text of the automerge-paper trace when present.
 */
const runs = 5

function formattedPad(lines: number): DeltaOp[] {
  const ops: DeltaOp[] = []
  for (let line = 0; line < lines; line++) {
    if (line % 25 === 0) ops.push({ insert: `Tagesordnungspunkt ${line / 25 + 1}: Grüße, Ärger, Öl` }, { insert: '\n', attributes: { header: 2 } })
    else if (line % 5 === 0) ops.push({ insert: 'Beschluss: ', attributes: { bold: true } }, { insert: `naïve café déjà vu, Łódź ${line}` }, { insert: '\n', attributes: { list: 'bullet' } })
    else ops.push({ insert: `Zeile ${line}: Die Teilnehmer besprechen den Haushalt und vertagen die Entscheidung auf die nächste Sitzung.\n` })
  }
  return ops
}

const trace = loadTrace()
const pads: [string, DeltaOp[]][] = [
  ['small (20 lines)', formattedPad(20)],
  ['medium (300 lines)', formattedPad(300)],
  trace ? [`automerge-paper final text (${fmt(trace.endContent.length)} chars)`, [{ insert: `${trace.endContent}\n` }]] : ['large (2,000 lines)', formattedPad(2_000)],
]

/**
 * Runs `render` `runs` times; the median duration and the longest event-loop stall seen: the
 * largest gap between the beats of a 1 ms interval timer, less the 1 ms it asks for.
 */
async function measure(render: () => Promise<Buffer>): Promise<{ ms: number; stallMs: number; bytes: number }> {
  const durations: number[] = []
  let bytes = 0
  let lastBeat = performance.now()
  let longestGap = 0
  const beat = setInterval(() => {
    const now = performance.now()
    longestGap = Math.max(longestGap, now - lastBeat)
    lastBeat = now
  }, 1)
  for (let run = 0; run < runs; run++) {
    const start = performance.now()
    bytes = (await render()).byteLength
    durations.push(performance.now() - start)
    // Let the timer beat between renders, so a stall shows up as a late beat.
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
  clearInterval(beat)
  return { ms: median(durations), stallMs: Math.max(0, longestGap - 1), bytes }
}

const renderer = new PdfRenderer(120_000)
const rows: string[][] = []
try {
  const input = (content: DeltaOp[]) => ({ title: 'Meeting protocol', roomTitle: 'Bench', generatedAt: new Date(), content })
  // Warm both paths (font files, the worker's start) so the runs measure rendering only.
  await renderPadPdf(input(pads[0]![1]))
  await renderer.render(input(pads[0]![1]))
  for (const [name, content] of pads) {
    progress(`pdf: ${name}`)
    const inline = await measure(() => renderPadPdf(input(content)))
    const worker = await measure(() => renderer.render(input(content)))
    rows.push([name, `${fmt(inline.bytes / 1024)} KiB`, fmt(inline.ms, 1), fmt(inline.stallMs, 1), fmt(worker.ms, 1), fmt(worker.stallMs, 1)])
  }
} finally {
  await renderer.close()
}
printTable(`Protocol PDF rendering, median of ${runs} renders (ms)`, ['pad', 'PDF size', 'main thread', 'stall', 'worker', 'stall'], rows)
