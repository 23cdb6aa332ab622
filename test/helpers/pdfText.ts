import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/** The text of every page as a reader would copy it: a page's items joined at their line ends, pages separated by "\n". */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pages = await pdfPages(bytes)
  return pages.join('\n')
}

/** The text of each page, in order; its length is the page count. */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  // pdf.js transfers the buffer it is given to its worker; a copy keeps the caller's bytes usable.
  // Font faces are for drawing, which a text extraction in Node never does.
  const pdf = await getDocument({ data: new Uint8Array(bytes), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise
  try {
    const pages: string[] = []
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number)
      const content = await page.getTextContent()
      let text = ''
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '')
      pages.push(text)
    }
    return pages
  } finally {
    await pdf.destroy()
  }
}
