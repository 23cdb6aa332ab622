import type { DeltaOp } from '../../schema/index.js'

/** A run of text and its inline formats (bold, link, …). */
export interface QuillRun {
  text: string
  attributes: Record<string, unknown>
}

/** One line of a Quill document: its runs and its own format (header, list, …), which Quill keeps on the "\n" that ends it. */
export interface QuillLine {
  runs: QuillRun[]
  attributes: Record<string, unknown>
}

/**
 * Splits a Quill document delta into its lines; embeds (images, video) are left out. A delta
 * not written by Quill may lack the final "\n": its last line still counts, unformatted.
 */
export function quillLines(delta: readonly DeltaOp[]): QuillLine[] {
  const lines: QuillLine[] = []
  let runs: QuillRun[] = []
  for (const op of delta) {
    if (typeof op.insert !== 'string') continue
    const attributes = op.attributes ?? {}
    const pieces = op.insert.split('\n')
    pieces.forEach((text, i) => {
      if (text !== '') runs.push({ text, attributes })
      if (i === pieces.length - 1) return
      lines.push({ runs, attributes })
      runs = []
    })
  }
  if (runs.length > 0) lines.push({ runs, attributes: {} })
  return lines
}
