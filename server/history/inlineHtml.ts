import type { QuillRun } from './quillLines.js'
import { safeHref } from './safeHref.js'

const inlineTags: [attribute: string, tag: string][] = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['underline', 'u'],
  ['strike', 's'],
  ['code', 'code'],
]

/** Runs as HTML: text escaped, inline formats as tags, links only to safe targets (`safeHref`; any other keeps its text, unlinked). */
export function inlineHtml(runs: readonly QuillRun[]): string {
  return runs.map((run) => formatted(escapeHtml(run.text), run.attributes)).join('')
}

function formatted(html: string, attributes: Record<string, unknown>): string {
  let result = html
  for (const [attribute, tag] of inlineTags) if (attributes[attribute]) result = `<${tag}>${result}</${tag}>`
  const href = typeof attributes.link === 'string' ? safeHref(attributes.link) : null
  if (href !== null) result = `<a href="${escapeHtml(href)}">${result}</a>`
  return result
}

/** Text safe inside an element and inside a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
