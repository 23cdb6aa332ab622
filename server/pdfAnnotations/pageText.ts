import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** A 2-D point or vector in PDF user space. */
export type Vector = readonly [number, number]

/** One run of text pdf.js found on a page: where its characters are in the page's text, and where it is drawn. */
export interface TextRun {
  /** Offsets of the run's characters in the page's text. */
  start: number
  end: number
  /** The baseline's start point, and the run's whole advance along its baseline. */
  origin: Vector
  advance: Vector
  /** The run's height, perpendicular to the baseline (the font size, scaled). */
  up: Vector
}

/** A page's text as a reader copies it, and where each run of it is drawn. */
export interface PageText {
  /** 1-based, as the PagePositionSelector counts pages. */
  number: number
  text: string
  runs: TextRun[]
}

/**
 * The text of the first `pageCount` pages (all when absent), read with pdf.js as the web app's
 * annotator reads a page's text layer: the page's text items joined (a line end is a `<br>` there,
 * no character). TextPositionSelectors count characters of this text, so both agree on offsets.
 */
export async function readPageTexts(bytes: Uint8Array, pageCount?: number): Promise<PageText[]> {
  // pdf.js transfers the buffer it is given; a copy keeps the caller's bytes usable. Font faces
  // are for drawing, which a text extraction on the server never does.
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise
  try {
    const pages: PageText[] = []
    for (let number = 1; number <= Math.min(pdf.numPages, pageCount ?? pdf.numPages); number++) {
      const content = await (await pdf.getPage(number)).getTextContent()
      let text = ''
      const runs: TextRun[] = []
      for (const item of content.items) {
        if (!('str' in item)) continue
        const [a, b, c, d, x, y] = item.transform as number[]
        if (item.str.length > 0) {
          const along = unit([a!, b!])
          const across = unit([c!, d!])
          runs.push({ start: text.length, end: text.length + item.str.length, origin: [x!, y!], advance: scale(along, item.width), up: scale(across, item.height) })
        }
        text += item.str
      }
      pages.push({ number, text, runs })
    }
    return pages
  } finally {
    await pdf.destroy()
  }
}

function unit([x, y]: Vector): Vector {
  const length = Math.hypot(x, y)
  return length === 0 ? [1, 0] : [x / length, y / length]
}

export function scale([x, y]: Vector, factor: number): Vector {
  return [x * factor, y * factor]
}

export function plus([x, y]: Vector, [dx, dy]: Vector): Vector {
  return [x + dx, y + dy]
}
