import type { Quad } from './textGeometry.js'

/** An RGB colour, each part from 0 to 1 as PDFs store it. */
export type Rgb = [number, number, number]

/** A note in a PDF's comment thread: who wrote it and what, and the notes that answer it. */
export interface PdfComment {
  author: string
  contents: string
  replies: PdfComment[]
}

/**
 * A PDF markup annotation as Folio writes and reads it: a highlight (its quads) or, without quads,
 * a sticky note on the page; its own text is the thread's first comment, answers are replies.
 */
export interface PdfNote extends PdfComment {
  /** 1-based. */
  pageNumber: number
  quads: Quad[]
  color: Rgb
  /** The tag's name (the annotation's /Subj). */
  subject: string | null
}
