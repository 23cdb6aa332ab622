import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** The text of every page as a reader would copy it: a page's items joined at their line ends, pages separated by "\n". */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pages = await pdfPages(bytes)
  return pages.join('\n')
}

/** The text of each page, in order; its length is the page count. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  return withPdf(bytes, async (pdf) => {
    const pages: string[] = []
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number)
      const content = await page.getTextContent()
      let text = ''
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '')
      pages.push(text)
    }
    return pages
  })
}

/** A page's text as the web app's text layer holds it (items joined, line ends no character), and its text items. */
export interface LayerPage {
  text: string
  items: { str: string; start: number; x: number; y: number; width: number; height: number }[]
}

/** Each page's text layer text and where its items are drawn, read with pdf.js. */
export async function pdfLayerPages(bytes: Uint8Array): Promise<LayerPage[]> {
  return withPdf(bytes, async (pdf) => {
    const pages: LayerPage[] = []
    for (let number = 1; number <= pdf.numPages; number++) {
      const content = await (await pdf.getPage(number)).getTextContent()
      const page: LayerPage = { text: '', items: [] }
      for (const item of content.items) {
        if (!('str' in item)) continue
        page.items.push({ str: item.str, start: page.text.length, x: item.transform[4], y: item.transform[5], width: item.width, height: item.height })
        page.text += item.str
      }
      pages.push(page)
    }
    return pages
  })
}

/** A PDF annotation as pdf.js reads it (the fields Folio's tests look at). */
export interface PdfJsAnnotation {
  id: string
  subtype: string
  color: number[] | null
  contents: string
  title: string
  quadPoints: number[] | null
  inReplyTo: string | null
  popupRef: string | null
}

/** Every annotation of each page, as pdf.js's `getAnnotations()` reads it. */
export async function pdfAnnotations(bytes: Uint8Array): Promise<PdfJsAnnotation[][]> {
  return withPdf(bytes, async (pdf) => {
    const pages: PdfJsAnnotation[][] = []
    for (let number = 1; number <= pdf.numPages; number++) {
      const annotations = (await (await pdf.getPage(number)).getAnnotations()) as Record<string, unknown>[]
      pages.push(
        annotations.map((annotation) => ({
          id: String(annotation.id),
          subtype: String(annotation.subtype),
          color: annotation.color ? Array.from(annotation.color as ArrayLike<number>) : null,
          contents: (annotation.contentsObj as { str?: string } | undefined)?.str ?? '',
          title: (annotation.titleObj as { str?: string } | undefined)?.str ?? '',
          quadPoints: annotation.quadPoints ? Array.from(annotation.quadPoints as ArrayLike<number>) : null,
          inReplyTo: typeof annotation.inReplyTo === 'string' ? annotation.inReplyTo : null,
          popupRef: typeof annotation.popupRef === 'string' ? annotation.popupRef : null,
        })),
      )
    }
    return pages
  })
}

type PdfDocument = Awaited<ReturnType<typeof getDocument>['promise']>

/** Runs `read` on the PDF pdf.js opens from `bytes`, and closes it after. */
async function withPdf<T>(bytes: Uint8Array, read: (pdf: PdfDocument) => Promise<T>): Promise<T> {
  // pdf.js transfers the buffer it is given to its worker; a copy keeps the caller's bytes usable.
  // Font faces are for drawing, which a text extraction in Node never does.
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise
  try {
    return await read(pdf)
  } finally {
    await pdf.destroy()
  }
}
