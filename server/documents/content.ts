import type * as Y from 'yjs'
import { type DeltaOp, type DocumentEditOp, documentContentDoc, editOperationType, type QuillDelta, type QuillOp } from '../../schema/index.js'
import { InvalidInputError } from '../errors.js'

/** The Y.Text holding an HTML or MODAL document's content. */
export function contentText(doc: Y.Doc): Y.Text {
  return doc.getText(documentContentDoc.text)
}

/** The document's content as a Quill delta, `{ops: [...]}`, inserts only. */
export function contentDelta(doc: Y.Doc): QuillDelta {
  return { ops: contentText(doc).toDelta() as QuillDelta['ops'] }
}

const lengthOf = (insert: string | object): number => (typeof insert === 'string' ? insert.length : 1)

/**
 * Applies the original's edit rows (`deltaToDb` output) to the content: each row is
 * `retain(offset)` followed by its insert, delete or format, on the text the previous rows
 * left, which is how the original composed them (`dbToDelta`). Run it inside one transaction.
 * Every row is checked before the first is applied, so a bad row changes nothing: a row
 * starting past the end of the text is refused (the client is out of step); a span reaching
 * past the end is cut at the end, as Quill's compose does (Quill counts a final newline that
 * Y.Text need not hold).
 */
export function applyEditOps(text: Y.Text, ops: readonly DocumentEditOp[]): void {
  let length = text.length
  const deltas: DeltaOp[][] = ops.map((op, index) => {
    if (op.offset > length) throw pastTheEnd(`ops.${index}.offset`, op.offset, length)
    const position: DeltaOp[] = op.offset > 0 ? [{ retain: op.offset }] : []
    switch (op.operationType) {
      case editOperationType.insert: {
        const inserted = op.text!
        length += inserted.length
        return [...position, { insert: inserted, attributes: op.attributes ?? {} }]
      }
      case editOperationType.delete: {
        const span = Math.min(op.span!, length - op.offset)
        length -= span
        return span > 0 ? [...position, { delete: span }] : []
      }
      case editOperationType.format:
        return op.attributes ? [...position, { retain: op.span!, attributes: op.attributes }] : []
    }
  })
  for (const delta of deltas) if (delta.length > 0) text.applyDelta(delta)
}

/**
 * Applies a Quill delta to the content, checked first as `applyEditOps` checks rows: an op
 * starting past the end is refused, a retain or delete reaching past it is cut at the end.
 */
export function applyQuillDelta(text: Y.Text, ops: readonly QuillOp[]): void {
  let length = text.length
  let position = 0
  const delta: DeltaOp[] = ops.map((op, index) => {
    if (position > length) throw pastTheEnd(`delta.ops.${index}`, position, length)
    if ('insert' in op) {
      position += lengthOf(op.insert)
      length += lengthOf(op.insert)
      return { insert: op.insert, attributes: op.attributes ?? {} }
    }
    if ('delete' in op) {
      const span = Math.min(op.delete, length - position)
      length -= span
      return { delete: span }
    }
    position += op.retain
    return op.attributes ? { retain: op.retain, attributes: op.attributes } : { retain: op.retain }
  })
  const effective = delta.filter((op) => op.delete === undefined || op.delete > 0)
  if (effective.length > 0) text.applyDelta(effective)
}

function pastTheEnd(field: string, position: number, length: number): InvalidInputError {
  return new InvalidInputError(`invalid input: ${field}: position ${position} is past the end of the document (length ${length} there); reload the document and edit again`)
}
