import { PDFDict, PDFDocument, PDFHexString, PDFName, type PDFPage, type PDFRef } from 'pdf-lib'
import type { PdfComment, PdfNote } from './pdfNotes.js'

/** Annotation flag Print: the notes show on paper too. */
const printFlag = 4
/** Size of a popup window and of a reply's icon, in PDF units. */
const popupSize = { width: 180, height: 120 }
const replyIconSize = 18

/**
 * `bytes` with each note written in as a PDF annotation: a Highlight over its quads (a Text note
 * where it has none) in its colour, with the author as /T, the tag as /Subj and the first comment
 * as /Contents, a closed Popup showing it, and each answer as a Text note replying (/IRT) to the
 * note it answers, which is how PDF viewers thread comments.
 */
export async function embedNotes(bytes: Uint8Array, notes: readonly PdfNote[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { updateMetadata: false })
  const pages = pdf.getPages()
  const modified = PDFHexString.fromText(pdfDate(new Date()))
  for (const note of notes) {
    const page = pages[note.pageNumber - 1]
    if (!page) continue
    const rect = note.quads.length > 0 ? boundsOf(note.quads.flat()) : iconRect(page)
    const fields = {
      Type: 'Annot',
      Rect: rect,
      C: note.color,
      T: PDFHexString.fromText(note.author),
      Contents: PDFHexString.fromText(note.contents),
      M: modified,
      F: printFlag,
      ...(note.subject === null ? {} : { Subj: PDFHexString.fromText(note.subject) }),
    }
    const dict = pdf.context.obj(note.quads.length > 0 ? { ...fields, Subtype: 'Highlight', QuadPoints: note.quads.flat() } : { ...fields, Subtype: 'Text', Name: 'Comment' })
    const ref = add(page, dict)
    const [, , right, top] = rect
    const popupLeft = Math.min(right, page.getWidth() - popupSize.width)
    const popup = add(page, pdf.context.obj({ Type: 'Annot', Subtype: 'Popup', Rect: [popupLeft, top - popupSize.height, popupLeft + popupSize.width, top], Parent: ref, Open: false, F: printFlag }))
    dict.set(PDFName.of('Popup'), popup)
    addReplies(page, ref, rect, note.replies, modified)
  }
  return pdf.save()
}

function addReplies(page: PDFPage, parent: PDFRef, [left, , , top]: number[], replies: readonly PdfComment[], modified: PDFHexString): void {
  for (const reply of replies) {
    const dict = page.doc.context.obj({
      Type: 'Annot',
      Subtype: 'Text',
      Name: 'Comment',
      Rect: [left!, top! - replyIconSize, left! + replyIconSize, top!],
      IRT: parent,
      RT: 'R',
      T: PDFHexString.fromText(reply.author),
      Contents: PDFHexString.fromText(reply.contents),
      M: modified,
      F: printFlag,
    })
    addReplies(page, add(page, dict), [left!, 0, 0, top!], reply.replies, modified)
  }
}

function add(page: PDFPage, dict: PDFDict): PDFRef {
  const ref = page.doc.context.register(dict)
  page.node.addAnnot(ref)
  return ref
}

/** [left, bottom, right, top] of a flat list of x, y pairs. */
export function boundsOf(points: readonly number[]): [number, number, number, number] {
  const xs = points.filter((_, index) => index % 2 === 0)
  const ys = points.filter((_, index) => index % 2 === 1)
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)]
}

/** Where a note without a highlight sits: the page's top left corner. */
function iconRect(page: PDFPage): [number, number, number, number] {
  const top = page.getHeight() - replyIconSize
  return [replyIconSize, top - replyIconSize, 2 * replyIconSize, top]
}

/** A PDF date string, `D:YYYYMMDDHHmmSSZ`. */
function pdfDate(date: Date): string {
  return `D:${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`
}
