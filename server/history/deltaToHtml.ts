import type { DeltaOp } from '../../schema/index.js'

const inlineTags: [attribute: string, tag: string][] = [
  ['bold', 'strong'],
  ['italic', 'em'],
  ['underline', 'u'],
  ['strike', 's'],
  ['code', 'code'],
]

/** A Quill document delta as HTML: one `<p>` per line, inline formats as tags, text escaped. */
export function deltaToHtml(delta: readonly DeltaOp[]): string {
  const lines: string[] = []
  let line = ''
  for (const op of delta) {
    if (typeof op.insert !== 'string') continue
    const parts = op.insert.split('\n')
    parts.forEach((part, index) => {
      if (index > 0) {
        lines.push(line)
        line = ''
      }
      if (part !== '') line += formatted(escapeHtml(part), op.attributes ?? {})
    })
  }
  if (line !== '') lines.push(line)
  return lines.map((content) => `<p>${content === '' ? '<br>' : content}</p>`).join('')
}

function formatted(html: string, attributes: Record<string, unknown>): string {
  let result = html
  for (const [attribute, tag] of inlineTags) if (attributes[attribute]) result = `<${tag}>${result}</${tag}>`
  if (typeof attributes.link === 'string') result = `<a href="${escapeHtml(attributes.link)}">${result}</a>`
  return result
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
