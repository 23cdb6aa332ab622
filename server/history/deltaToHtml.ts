import type { DeltaOp } from '../../schema/index.js'
import { escapeHtml, inlineHtml } from './inlineHtml.js'
import { type ListTag, NestedLists } from './NestedLists.js'
import { type QuillLine, quillLines } from './quillLines.js'

/** How each of Quill's list formats is written: its list element and how its items open. */
const listFormats = new Map<unknown, { tag: ListTag; item: string }>([
  ['ordered', { tag: 'ol', item: '<li>' }],
  ['bullet', { tag: 'ul', item: '<li>' }],
  ['checked', { tag: 'ul', item: '<li data-checked="true">' }],
  ['unchecked', { tag: 'ul', item: '<li data-checked="false">' }],
])
/** Quill's deepest indent. */
const maxIndent = 8

/**
 * A Quill document delta as HTML, in the structure Quill shows: `<h1>`–`<h6>`, `<p>` (`<p><br></p>`
 * for an empty line), `<blockquote>`, lists nested by their indent, one `<pre>` for consecutive
 * code lines, and bold, italic, underline, strike, inline code and links inside. Text and
 * attributes are escaped; a link to anything but a web page, mail or phone keeps its text
 * unlinked. Embeds and the look (colours, fonts, alignment) are left out.
 */
export function deltaToHtml(delta: readonly DeltaOp[]): string {
  let html = ''
  const lists = new NestedLists()
  let code: string[] = []
  for (const line of quillLines(delta)) {
    const isCode = Boolean(line.attributes['code-block'])
    if (!isCode && code.length > 0) html += codeBlock(code.splice(0))
    const list = isCode ? undefined : listFormats.get(line.attributes.list)
    if (!list) html += lists.close()
    if (isCode) code.push(line.runs.map((run) => run.text).join(''))
    else if (list) html += lists.item(list.tag, indentOf(line), list.item, inlineHtml(line.runs) || '<br>')
    else html += blockHtml(line)
  }
  return html + codeBlock(code) + lists.close()
}

function blockHtml(line: QuillLine): string {
  const content = inlineHtml(line.runs) || '<br>'
  const { header, blockquote } = line.attributes
  if (typeof header === 'number' && Number.isInteger(header) && header >= 1 && header <= 6) return `<h${header}>${content}</h${header}>`
  if (blockquote) return `<blockquote>${content}</blockquote>`
  return `<p>${content}</p>`
}

function indentOf(line: QuillLine): number {
  const { indent } = line.attributes
  return typeof indent === 'number' && Number.isInteger(indent) && indent > 0 ? Math.min(indent, maxIndent) : 0
}

/** Code lines as one `<pre>`, their inline formats dropped as Quill drops them; none, nothing. */
function codeBlock(lines: readonly string[]): string {
  if (lines.length === 0) return ''
  const text = lines.join('\n')
  // HTML drops a newline right after <pre>; a second one keeps a blank first line.
  return `<pre>${text.startsWith('\n') ? '\n' : ''}${escapeHtml(text)}</pre>`
}
