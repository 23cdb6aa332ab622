import type { PageQuote } from './annotationEntries.js'

/** How much text before and after a quote is kept with it, to find it again should offsets drift. */
const contextLength = 32

/** The text nodes of a page's text layer in reading order: a page's text is their concatenation. */
function textNodes(textLayer: HTMLElement): Text[] {
  const nodes: Text[] = []
  const walker = document.createTreeWalker(textLayer, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text)
  return nodes
}

/** The offset into the page's text of a point inside its text layer: the length of the text before it. */
function offsetOf(textLayer: HTMLElement, container: Node, offset: number): number {
  const before = document.createRange()
  before.setStart(textLayer, 0)
  before.setEnd(container, offset)
  return before.toString().length
}

/** The quote a selection makes on one page (the page its start is on), or null when it holds no text of a page. */
export function quoteOfSelection(selection: Selection, pages: readonly { number: number; textLayer: HTMLElement }[]): PageQuote | null {
  if (selection.rangeCount === 0 || selection.isCollapsed) return null
  const range = selection.getRangeAt(0)
  const page = pages.find((candidate) => candidate.textLayer.contains(range.startContainer))
  if (!page) return null
  const text = textNodes(page.textLayer).map((node) => node.data).join('')
  const start = offsetOf(page.textLayer, range.startContainer, range.startOffset)
  const end = page.textLayer.contains(range.endContainer) ? offsetOf(page.textLayer, range.endContainer, range.endOffset) : text.length
  const exact = text.slice(start, end)
  if (exact.trim() === '') return null
  return { page: page.number, start, end, exact, prefix: text.slice(Math.max(0, start - contextLength), start), suffix: text.slice(end, end + contextLength) }
}

/** A DOM range over characters `start`..`end` of a page's text, or null when the page has fewer. */
export function rangeOf(textLayer: HTMLElement, start: number, end: number): Range | null {
  const range = document.createRange()
  let total = 0
  let started = false
  for (const node of textNodes(textLayer)) {
    const length = node.data.length
    if (!started && start <= total + length) {
      range.setStart(node, start - total)
      started = true
    }
    if (started && end <= total + length) {
      range.setEnd(node, end - total)
      return range
    }
    total += length
  }
  return null
}

/** Where a quote is on its page now: its offsets when the text there still reads the same, else the first place the text is found. */
export function locate(textLayer: HTMLElement, quote: PageQuote): { start: number; end: number } | null {
  const text = textNodes(textLayer).map((node) => node.data).join('')
  if (text.slice(quote.start, quote.end) === quote.exact) return { start: quote.start, end: quote.end }
  const found = text.indexOf(quote.exact)
  return found < 0 || quote.exact === '' ? null : { start: found, end: found + quote.exact.length }
}
