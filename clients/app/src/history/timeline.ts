import type { DeltaOp } from '../../../index.js'

type Attributes = Record<string, unknown>

/**
 * A run of the document's text over its whole history: who inserted it and at which seq, and
 * when and by whom it was deleted. Deleted runs stay (as Yjs keeps tombstones), so the text at any
 * seq, and what changed between two seqs, are read from one list.
 */
interface Piece {
  /** Text, or one embed (length 1). */
  content: string | object
  author: string | null
  insertedAt: number
  deletedAt: number | null
  deletedBy: string | null
  /** Formatting changes, oldest first: the attributes in force at a seq fold those up to it (null removes one). */
  formats: { at: number; attributes: Attributes }[]
}

/** A stretch of text as the timeslider shows it: one author, one formatting, and in a comparison whether it was inserted or deleted. */
export interface TextRun {
  text: string
  author: string | null
  attributes: Attributes
  change: 'kept' | 'inserted' | 'deleted'
  /** Who made the change: the inserter of inserted text, the deleter of deleted text. */
  changedBy: string | null
}

const lengthOf = (piece: Piece): number => (typeof piece.content === 'string' ? piece.content.length : 1)
const textOf = (piece: Piece): string => (typeof piece.content === 'string' ? piece.content : '\uFFFC')
const visibleAt = (piece: Piece, seq: number): boolean => piece.insertedAt <= seq && (piece.deletedAt === null || piece.deletedAt > seq)

function attributesAt(piece: Piece, seq: number): Attributes {
  const attributes: Attributes = {}
  for (const { at, attributes: change } of piece.formats) {
    if (at > seq) break
    for (const [key, value] of Object.entries(change)) {
      if (value === null) delete attributes[key]
      else attributes[key] = value
    }
  }
  return attributes
}

const sameAttributes = (a: Attributes, b: Attributes): boolean => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort())

/**
 * A document's text through its revisions, replayed from their Quill deltas (each over the text
 * the revision started from, as the history route gives them) on top of the text at `baseSeq`,
 * whose authors are unknown (the log before it was trimmed, or nothing: seq 0 is empty).
 */
export class Timeline {
  private readonly pieces: Piece[] = []

  constructor(readonly baseSeq: number, baseDelta: readonly DeltaOp[]) {
    this.apply(baseSeq, null, baseDelta)
  }

  /** Applies the change of revision `at` by `author`. */
  apply(at: number, author: string | null, delta: readonly DeltaOp[]): void {
    const pieces = this.pieces
    let i = 0
    for (const op of delta) {
      if (op.insert !== undefined && op.insert !== '') {
        const content = typeof op.insert === 'string' ? op.insert : (op.insert as object)
        pieces.splice(i++, 0, { content, author, insertedAt: at, deletedAt: null, deletedBy: null, formats: op.attributes ? [{ at, attributes: op.attributes }] : [] })
        continue
      }
      let left = op.retain ?? op.delete ?? 0
      while (left > 0) {
        while (i < pieces.length && pieces[i]!.deletedAt !== null) i++
        const piece = pieces[i]
        // A delta reaching past the text cannot come from a consistent log; what is there is kept.
        if (!piece) return
        if (lengthOf(piece) > left) this.split(i, left)
        const target = pieces[i]!
        if (op.delete !== undefined) {
          target.deletedAt = at
          target.deletedBy = author
        } else if (op.attributes) {
          target.formats = [...target.formats, { at, attributes: op.attributes }]
        }
        left -= lengthOf(target)
        i++
      }
    }
  }

  /** The text right after `seq`, in runs of one author and formatting. */
  runsAt(seq: number): TextRun[] {
    const runs: TextRun[] = []
    for (const piece of this.pieces) if (visibleAt(piece, seq)) push(runs, { text: textOf(piece), author: piece.author, attributes: attributesAt(piece, seq), change: 'kept', changedBy: null })
    return runs
  }

  /** The plain text right after `seq`. */
  textAt(seq: number): string {
    return this.runsAt(seq).map((run) => run.text).join('')
  }

  /**
   * Two states side by side: `before` as it was at seq `from` with the text deleted by `to`
   * marked (and by whom), `after` as it is at seq `to` with the text inserted since marked (and
   * by whom). `from` is the earlier of the two.
   */
  compare(from: number, to: number): { before: TextRun[]; after: TextRun[] } {
    const before: TextRun[] = []
    const after: TextRun[] = []
    for (const piece of this.pieces) {
      const inFrom = visibleAt(piece, from)
      const inTo = visibleAt(piece, to)
      if (inFrom) push(before, { text: textOf(piece), author: piece.author, attributes: attributesAt(piece, from), change: inTo ? 'kept' : 'deleted', changedBy: inTo ? null : piece.deletedBy })
      if (inTo) push(after, { text: textOf(piece), author: piece.author, attributes: attributesAt(piece, to), change: inFrom ? 'kept' : 'inserted', changedBy: inFrom ? null : piece.author })
    }
    return { before, after }
  }

  private split(index: number, offset: number): void {
    const piece = this.pieces[index]!
    if (typeof piece.content !== 'string') return
    this.pieces.splice(index + 1, 0, { ...piece, content: piece.content.slice(offset), formats: [...piece.formats] })
    piece.content = piece.content.slice(0, offset)
  }
}

function push(runs: TextRun[], run: TextRun): void {
  const last = runs.at(-1)
  if (last && last.author === run.author && last.change === run.change && last.changedBy === run.changedBy && sameAttributes(last.attributes, run.attributes)) last.text += run.text
  else runs.push(run)
}
