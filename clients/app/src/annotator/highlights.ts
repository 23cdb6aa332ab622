import type { AnnotationView } from './annotationEntries.js'
import { locate, rangeOf } from './pageText.js'
import type { RenderedPage } from './pdfPages.js'

/** The colour names of tags (`tag.colorCode`), each a highlight colour of the stylesheet; annotations without a tag get `none`. */
export type HighlightColor = 'info' | 'warning' | 'success' | 'danger' | 'none'

/**
 * Draws each annotation as boxes over its text, in its tag's colour, on the highlight layer of
 * its page (under the text layer, so text stays selectable). Boxes are placed in CSS pixels of
 * the page through CSSOM, which the CSP allows where style attributes are not.
 */
export function drawHighlights(pages: readonly RenderedPage[], annotations: readonly AnnotationView[], colorOf: (tagId: number | null) => HighlightColor, selectedId: string | null): void {
  for (const page of pages) {
    page.highlights.replaceChildren()
    const origin = page.element.getBoundingClientRect()
    for (const annotation of annotations) {
      if (annotation.quote?.page !== page.number) continue
      const place = locate(page.textLayer, annotation.quote)
      const range = place && rangeOf(page.textLayer, place.start, place.end)
      if (!range) continue
      for (const rect of range.getClientRects()) {
        if (rect.width < 1 || rect.height < 1) continue
        const box = document.createElement('div')
        box.className = 'pdf-highlight'
        box.dataset.annotationId = annotation.id
        box.dataset.color = colorOf(annotation.tagId)
        if (annotation.id === selectedId) box.dataset.selected = 'true'
        box.style.left = `${rect.left - origin.left}px`
        box.style.top = `${rect.top - origin.top}px`
        box.style.width = `${rect.width}px`
        box.style.height = `${rect.height}px`
        page.highlights.append(box)
      }
    }
  }
}

/** The annotation whose highlight is under a point of the screen, if any (highlights lie under the text layer, so a click lands on the text). */
export function annotationAt(x: number, y: number): string | null {
  const box = document.elementsFromPoint(x, y).find((element) => element instanceof HTMLElement && element.classList.contains('pdf-highlight'))
  return box instanceof HTMLElement ? (box.dataset.annotationId ?? null) : null
}
