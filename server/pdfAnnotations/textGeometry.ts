import { type PageText, plus, scale, type TextRun, type Vector } from './pageText.js'

/** A character range of a page's text. */
export interface TextRange {
  start: number
  end: number
}

/** One quadrilateral of a highlight, as the PDF's QuadPoints list it: top left, top right, bottom left, bottom right (x, y each). */
export type Quad = [number, number, number, number, number, number, number, number]

/** Below the baseline a glyph box reaches this share of the run's height, above it the rest. */
const descent = 0.2

/**
 * The quadrilaterals covering `range` of the page: one per run it touches. A character's share of
 * its run's advance is taken as equal for every character (pdf.js gives runs, not glyphs), which
 * `rangeUnder` inverts exactly.
 */
export function quadsOf(page: PageText, range: TextRange): Quad[] {
  const quads: Quad[] = []
  for (const run of page.runs) {
    const from = Math.max(range.start, run.start)
    const to = Math.min(range.end, run.end)
    if (from >= to || page.text.slice(from, to).trim() === '') continue
    const left = pointAt(run, from - run.start, -descent)
    const right = pointAt(run, to - run.start, -descent)
    const [topLeft, topRight] = [plus(left, run.up), plus(right, run.up)]
    quads.push([topLeft[0], topLeft[1], topRight[0], topRight[1], left[0], left[1], right[0], right[1]])
  }
  return quads
}

/** The range from the first to the last character of the page whose centre lies in one of `quads`; null when none does. */
export function rangeUnder(page: PageText, quads: readonly Quad[]): TextRange | null {
  let start = Infinity
  let end = -Infinity
  for (const run of page.runs) {
    for (let index = 0; index < run.end - run.start; index++) {
      const centre = pointAt(run, index + 0.5, 0.5 - descent)
      if (!quads.some((quad) => inside(centre, quad))) continue
      start = Math.min(start, run.start + index)
      end = Math.max(end, run.start + index + 1)
    }
  }
  return start < end ? { start, end } : null
}

/** The point `characters` along the run's baseline, raised by `height` of its height. */
function pointAt(run: TextRun, characters: number, height: number): Vector {
  return plus(plus(run.origin, scale(run.advance, characters / (run.end - run.start))), scale(run.up, height))
}

/** Whether `point` lies within the quad (by its bounding box, which is the quad for unrotated text). */
function inside([x, y]: Vector, quad: Quad): boolean {
  const xs = [quad[0], quad[2], quad[4], quad[6]]
  const ys = [quad[1], quad[3], quad[5], quad[7]]
  return x >= Math.min(...xs) && x <= Math.max(...xs) && y >= Math.min(...ys) && y <= Math.max(...ys)
}

/** The quote a TextQuoteSelector holds. */
export interface Quote {
  exact: string
  prefix?: string
  suffix?: string
}

/** Characters of context kept before and after a quote read from a PDF. */
export const quoteContextLength = 32

/** The quote of `range` in the page's text, with its context. */
export function quoteOf(page: PageText, { start, end }: TextRange): Quote {
  return { exact: page.text.slice(start, end), prefix: page.text.slice(Math.max(0, start - quoteContextLength), start), suffix: page.text.slice(end, end + quoteContextLength) }
}

/**
 * Where `quote` stands on the page, whitespace compared loosely (a selection across a line end
 * may hold a space or a line break): of several places, the one whose context matches best and
 * then the one nearest `near` (a page offset). Null when the quote is not on the page.
 */
export function findQuote(page: PageText, quote: Quote, near: number | null): TextRange | null {
  const { loose: text, positions } = looseText(page.text)
  const exact = looseText(quote.exact).loose.trim()
  if (exact === '') return null
  let best: { range: TextRange; score: number; distance: number } | null = null
  for (let at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
    const range = { start: positions[at]!, end: positions[at + exact.length - 1]! + 1 }
    const before = looseText(quote.prefix ?? '').loose
    const after = looseText(quote.suffix ?? '').loose
    const score = commonSuffix(text.slice(0, at), before) + commonPrefix(text.slice(at + exact.length), after)
    const distance = near === null ? 0 : Math.abs(range.start - near)
    if (!best || score > best.score || (score === best.score && distance < best.distance)) best = { range, score, distance }
  }
  return best?.range ?? null
}

/** The text with every run of whitespace as one space, and for each of its characters the offset it came from. */
function looseText(text: string): { loose: string; positions: number[] } {
  let loose = ''
  const positions: number[] = []
  for (let index = 0; index < text.length; index++) {
    const space = /\s/.test(text[index]!)
    if (space && loose.endsWith(' ')) continue
    loose += space ? ' ' : text[index]
    positions.push(index)
  }
  return { loose, positions }
}

function commonSuffix(a: string, b: string): number {
  let length = 0
  while (length < a.length && length < b.length && a[a.length - 1 - length] === b[b.length - 1 - length]) length++
  return length
}

function commonPrefix(a: string, b: string): number {
  let length = 0
  while (length < a.length && length < b.length && a[length] === b[length]) length++
  return length
}
