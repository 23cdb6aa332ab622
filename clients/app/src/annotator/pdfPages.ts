import './textLayer.css'
import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy, TextLayer } from 'pdfjs-dist'
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url'

// The worker is a file of the build under /app/, which the page's CSP (`script-src 'self'`) allows.
GlobalWorkerOptions.workerSrc = workerUrl

/** Widest a page is drawn (CSS pixels), so a page on a wide screen stays a readable size. */
const maxPageWidth = 900

/** A rendered page: its box (canvas, text layer, highlight layer) and the text layer's text, as annotations count offsets in it. */
export interface RenderedPage {
  number: number
  element: HTMLElement
  textLayer: HTMLElement
  highlights: HTMLElement
}

/** Opens a PDF from its bytes: no eval (the CSP forbids it), no fetches of its own. */
export function openPdf(bytes: Uint8Array): Promise<PDFDocumentProxy> {
  return getDocument({ data: bytes, isEvalSupported: false, disableAutoFetch: true, disableStream: true }).promise
}

/**
 * Draws every page of `pdf` into `container` at its width (up to `maxPageWidth`): a canvas for
 * the picture, pdf.js's text layer over it for selecting text, and an empty layer for highlights.
 * The device pixel ratio sharpens the canvas on high-density screens.
 */
export async function renderPages(pdf: PDFDocumentProxy, container: HTMLElement, isCancelled: () => boolean): Promise<RenderedPage[]> {
  const pages: RenderedPage[] = []
  const width = Math.min(container.clientWidth || maxPageWidth, maxPageWidth)
  for (let number = 1; number <= pdf.numPages; number++) {
    const page = await pdf.getPage(number)
    if (isCancelled()) break
    const scale = width / page.getViewport({ scale: 1 }).width
    const viewport = page.getViewport({ scale })
    const element = document.createElement('section')
    element.className = 'pdf-page'
    element.dataset.page = String(number)
    element.setAttribute('aria-label', `Page ${number} of ${pdf.numPages}`)
    // CSSOM, not a style attribute: allowed by the CSP, and what pdf.js's text layer sizes itself by.
    element.style.setProperty('--scale-factor', String(scale))
    element.style.width = `${viewport.width}px`
    element.style.height = `${viewport.height}px`
    const canvas = document.createElement('canvas')
    const density = window.devicePixelRatio || 1
    canvas.width = Math.floor(viewport.width * density)
    canvas.height = Math.floor(viewport.height * density)
    canvas.setAttribute('aria-hidden', 'true')
    const highlights = document.createElement('div')
    highlights.className = 'highlight-layer'
    const textLayer = document.createElement('div')
    textLayer.className = 'textLayer'
    element.append(canvas, highlights, textLayer)
    container.append(element)
    const context = canvas.getContext('2d')
    if (context) await page.render({ canvasContext: context, viewport, transform: density === 1 ? undefined : [density, 0, 0, density, 0, 0] }).promise
    await new TextLayer({ textContentSource: page.streamTextContent(), container: textLayer, viewport }).render()
    pages.push({ number, element, textLayer, highlights })
  }
  return pages
}
