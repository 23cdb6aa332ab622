import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib'
import { boundsOf } from './embed.js'
import type { PdfComment, PdfNote, Rgb } from './pdfNotes.js'
import type { Quad } from './textGeometry.js'

/** What a PDF's own annotations give: Folio's notes, and what could not be taken (kept in the file). */
export interface TakenNotes {
  notes: PdfNote[]
  /** The file without the annotations taken (the same bytes when there were none). */
  file: Uint8Array
  /** One line for each annotation left in the file, for the uploader. */
  skipped: string[]
}

/** Highlights and text notes (with their replies and popups) become Folio annotations; links and form fields are part of the document. */
const taken = new Set(['Highlight', 'Text', 'Popup'])
/** Markup a reader would take for comments, but Folio has no annotation for. */
const markup = new Set(['Underline', 'StrikeOut', 'Squiggly', 'FreeText', 'Ink', 'Square', 'Circle', 'Line', 'Polygon', 'PolyLine', 'Stamp', 'Caret', 'FileAttachment', 'Sound'])
const yellow: Rgb = [1, 1, 0]

/**
 * Reads the highlights and text notes of a PDF (threads by /IRT) and takes them out of the file,
 * so the stored PDF shows them only as Folio annotations. Throws when pdf-lib cannot read the PDF.
 */
export async function takeNotes(bytes: Uint8Array): Promise<TakenNotes> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false })
  const notes: PdfNote[] = []
  const skipped: string[] = []
  const noteKeys = new Map<string, PdfNote>()
  const replies: { ref: string; parent: string; comment: PdfComment; pageNumber: number }[] = []
  let changed = false

  pdf.getPages().forEach((page, index) => {
    const pageNumber = index + 1
    const annots = page.node.Annots()
    if (!annots) return
    const kept: PDFRef[] = []
    for (let at = 0; at < annots.size(); at++) {
      const ref = annots.get(at)
      const dict = pdf.context.lookupMaybe(ref, PDFDict)
      const subtype = dict?.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText()
      if (!dict || !subtype || !taken.has(subtype)) {
        if (subtype && markup.has(subtype)) skipped.push(`page ${pageNumber}: a ${subtype} annotation is not imported (Folio imports highlights and text notes); it stays in the file`)
        if (ref instanceof PDFRef) kept.push(ref)
        continue
      }
      changed = true
      if (subtype === 'Popup') continue
      const comment: PdfComment = { author: text(dict, 'T'), contents: text(dict, 'Contents'), replies: [] }
      const key = ref instanceof PDFRef ? ref.toString() : `${pageNumber}:${at}`
      const parent = dict.get(PDFName.of('IRT'))
      if (parent instanceof PDFRef) {
        replies.push({ ref: key, parent: parent.toString(), comment, pageNumber })
        continue
      }
      const quads = subtype === 'Highlight' ? quadsOf(dict) : []
      const note: PdfNote = { ...comment, pageNumber, quads, color: colorOf(dict), subject: dict.has(PDFName.of('Subj')) ? text(dict, 'Subj') : null }
      notes.push(note)
      noteKeys.set(key, note)
    }
    page.node.set(PDFName.of('Annots'), pdf.context.obj(kept))
  })

  // Replies hang on the note they answer, which may come later in the file; only threads that reach a note count (an /IRT loop reaches none).
  const answers = new Map<string, typeof replies>()
  for (const reply of replies) answers.set(reply.parent, [...(answers.get(reply.parent) ?? []), reply])
  const attached = new Set<string>()
  const attach = (key: string, comment: PdfComment) => {
    for (const reply of answers.get(key) ?? []) {
      if (attached.has(reply.ref)) continue
      attached.add(reply.ref)
      comment.replies.push(reply.comment)
      attach(reply.ref, reply.comment)
    }
  }
  for (const [key, note] of noteKeys) attach(key, note)
  for (const reply of replies) if (!attached.has(reply.ref)) skipped.push(`page ${reply.pageNumber}: a reply to a note that is not in the file is not imported`)
  return { notes, file: changed ? await pdf.save() : bytes, skipped }
}

function text(dict: PDFDict, key: string): string {
  const value = dict.lookup(PDFName.of(key))
  return value instanceof PDFString || value instanceof PDFHexString ? value.decodeText() : ''
}

function numbers(dict: PDFDict, key: string): number[] {
  const array = dict.lookupMaybe(PDFName.of(key), PDFArray)
  if (!array) return []
  const values: number[] = []
  for (let at = 0; at < array.size(); at++) {
    const value = array.lookup(at)
    if (value instanceof PDFNumber) values.push(value.asNumber())
  }
  return values
}

/** The highlight's quads; its /Rect as one quad when it has no (whole) /QuadPoints. */
function quadsOf(dict: PDFDict): Quad[] {
  const points = numbers(dict, 'QuadPoints')
  const quads: Quad[] = []
  for (let at = 0; at + 8 <= points.length; at += 8) quads.push(points.slice(at, at + 8) as Quad)
  if (quads.length > 0) return quads
  const rect = numbers(dict, 'Rect')
  if (rect.length !== 4) return []
  const [left, bottom, right, top] = boundsOf(rect)
  return [[left, top, right, top, left, bottom, right, bottom]]
}

/** /C as RGB: one number is grey, four are CMYK; none is the highlighter's yellow. */
function colorOf(dict: PDFDict): Rgb {
  const parts = numbers(dict, 'C')
  if (parts.length === 1) return [parts[0]!, parts[0]!, parts[0]!]
  if (parts.length === 3) return parts as Rgb
  if (parts.length === 4) {
    const [c, m, y, k] = parts as [number, number, number, number]
    return [(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)]
  }
  return yellow
}
