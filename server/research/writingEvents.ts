import type * as Y from 'yjs'
import type { DeltaOp, Revision, UpdateContext } from '../../schema/index.js'
import { type DocHistory, plainText, type SharedType, typeSharedTypes, writtenAt } from '../../sync/index.js'

/** One insert or delete in a text-like type of a doc: what keystroke-logging tools read. */
export interface WritingEvent {
  docName: string
  /** The shared type written: `content` (Quill), an XML fragment's name (ProseMirror, Tiptap). */
  type: string
  seq: number
  writer: string | null
  context: UpdateContext | null
  /**
   * When it was typed, ms since the epoch: the typing time the client told, else when it was
   * stored. The log keeps one time per stored update, so start and end are that time.
   */
  startTime: number
  endTime: number
  /** When the server stored it (for an edit made offline, later than it was typed). */
  storedTime: number
  /** Ms since the end of the doc's previous event, in typing time; null for its first. */
  pauseMs: number | null
  /** Where the change starts, in characters of the type's plain text. */
  position: number
  /** The text's length right after the event. */
  documentLength: number
  operation: 'insert' | 'delete'
  text: string
}

/** How many log records one read of a doc's history takes in. */
const revisionsPerRead = 2_000

/** Stands for an embed (an image in Quill): one character wide, as Yjs counts it. */
const embedCharacter = '\uFFFC'

/**
 * Reads a doc's whole retained log, one record at a time, and hands each revision to `onRevision`
 * with the insert and delete events it made in each text and XML fragment. The deleted text of a
 * delete comes from the text as it was, kept here as the log is replayed.
 */
export function replayWriting(history: DocHistory, docName: string, onRevision: (revision: Revision, events: WritingEvent[]) => void): void {
  const fromSeq = history.completeFromSeq(docName)
  const texts = initialTexts(history, docName, fromSeq - 1)
  let lastEnd: number | null = null
  let next: number | null = fromSeq
  while (next !== null) {
    const page = history.revisions(docName, { fromSeq: next, limit: revisionsPerRead, groupMs: 0 })
    for (const revision of page.revisions) {
      const events: WritingEvent[] = []
      const typed = writtenAt(revision)
      for (const change of revision.changes) {
        if (change.kind !== 'text' && change.kind !== 'xml') continue
        const made = applyDelta(texts.get(change.name) ?? '', change.delta)
        texts.set(change.name, made.text)
        for (const op of made.ops) {
          events.push({
            docName,
            type: change.name,
            seq: revision.fromSeq,
            writer: revision.userId,
            context: revision.context,
            startTime: typed,
            endTime: typed,
            storedTime: revision.createdAt,
            pauseMs: lastEnd === null ? null : typed - lastEnd,
            ...op,
          })
          lastEnd = typed
        }
      }
      onRevision(revision, events)
    }
    next = page.nextSeq
  }
}

/** The plain text of every text-like type right after `seq`, as the deltas of later revisions count it. */
function initialTexts(history: DocHistory, docName: string, seq: number): Map<string, string> {
  const texts = new Map<string, string>()
  if (seq === 0) return texts
  const doc = history.stateAt(docName, seq)
  for (const [name, { kind, type }] of typeSharedTypes(doc)) {
    if (kind === 'text') texts.set(name, deltaText(type))
    if (kind === 'xml') texts.set(name, plainText(type))
  }
  doc.destroy()
  return texts
}

function deltaText(type: SharedType): string {
  return ((type as Y.Text).toDelta() as DeltaOp[]).map((op) => (typeof op.insert === 'string' ? op.insert : embedCharacter)).join('')
}

/** `text` changed by `delta`, and each insert and delete it made, with the length after it. */
export function applyDelta(text: string, delta: readonly DeltaOp[]): { text: string; ops: Pick<WritingEvent, 'position' | 'documentLength' | 'operation' | 'text'>[] } {
  const ops: Pick<WritingEvent, 'position' | 'documentLength' | 'operation' | 'text'>[] = []
  let position = 0
  for (const op of delta) {
    if (op.retain !== undefined) position += op.retain
    else if (op.delete !== undefined) {
      const removed = text.slice(position, position + op.delete)
      text = text.slice(0, position) + text.slice(position + op.delete)
      ops.push({ position, documentLength: text.length, operation: 'delete', text: removed })
    } else if (op.insert !== undefined) {
      const inserted = typeof op.insert === 'string' ? op.insert : embedCharacter
      text = text.slice(0, position) + inserted + text.slice(position)
      ops.push({ position, documentLength: text.length, operation: 'insert', text: inserted })
      position += inserted.length
    }
  }
  return { text, ops }
}
