import * as Y from 'yjs'
import { type Authorship, type ContentAt, type ContentFormat, type DeltaOp, documentContentDoc, type HistoryPage, type SharedTypeKind } from '../../schema/index.js'
import { type DocHistory, HistoryTrimmedError, plainText, type SharedType, typeSharedTypes } from '../../sync/index.js'
import { NotFoundError } from '../errors.js'
import { deltaToHtml } from './deltaToHtml.js'

/**
 * The history exports as data, one function each, shared by the HTTP routes and the CLI's
 * database mode so both answer exactly the same. Every answer says from which seq the retained
 * log is complete (`completeFromSeq`, 1 unless retention trimmed it).
 */

/** Up to `limit` revisions from `fromSeq` (default: the first retained change). */
export function historyPage(history: DocHistory, docName: string, options: { fromSeq?: number | undefined; limit: number; groupMs: number }): HistoryPage {
  const completeFromSeq = history.completeFromSeq(docName)
  const fromSeq = options.fromSeq ?? completeFromSeq
  const page = retained(() => history.revisions(docName, { fromSeq, limit: options.limit, groupMs: options.groupMs }))
  return { ...page, completeFromSeq, lastSeq: history.lastSeq(docName) }
}

/** The content right after `seq`, or as it was at the ISO time `at`, or now. */
export function contentAt(history: DocHistory, docName: string, query: { seq?: number | undefined; at?: string | undefined; format: ContentFormat }): ContentAt {
  const lastSeq = history.lastSeq(docName)
  const completeFromSeq = history.completeFromSeq(docName)
  let seq = query.seq ?? lastSeq
  if (query.at !== undefined) {
    seq = history.seqAtTime(docName, Date.parse(query.at))
    // Seq 0 means "before the first retained record"; after a trim that is not the empty document.
    if (seq < completeFromSeq - 1) {
      throw new NotFoundError(`${query.at} is before the retained history of ${docName}: the log before seq ${completeFromSeq - 1} was trimmed (retention); ask for a later time or seq`)
    }
  }
  if (seq > lastSeq) throw new NotFoundError(`seq ${seq} is past the last change (${lastSeq})`)
  const doc = retained(() => history.stateAt(docName, seq))
  try {
    const types = typeSharedTypes(doc)
    const text = mainText([...types].map(([name, typed]) => ({ name, ...typed })))
    const delta = (): DeltaOp[] => (text instanceof Y.Text ? (text.toDelta() as DeltaOp[]) : text ? [{ insert: `${plainText(text)}\n` }] : [])
    const render = { delta, text: () => (text ? plainText(text) : ''), html: () => deltaToHtml(delta()), json: () => doc.toJSON() }
    return { seq, format: query.format, content: render[query.format](), completeFromSeq }
  } finally {
    doc.destroy()
  }
}

/**
 * The type a doc's text formats show: its `content` text (Quill), else the first text or XML
 * fragment by name (a ProseMirror or Tiptap doc); the JSON format shows every type.
 */
function mainText(types: { name: string; kind: SharedTypeKind; type: SharedType }[]): SharedType | null {
  const textLike = types.filter((typed) => typed.kind === 'text' || typed.kind === 'xml').sort((a, b) => (a.name < b.name ? -1 : 1))
  return (textLike.find((typed) => typed.name === documentContentDoc.text && typed.kind === 'text') ?? textLike[0])?.type ?? null
}

/** Who wrote each character of the text right after `seq` (default: the current text). */
export function authorshipOf(history: DocHistory, docName: string, query: { seq?: number | undefined } = {}): Authorship {
  const lastSeq = history.lastSeq(docName)
  const seq = query.seq ?? lastSeq
  if (seq > lastSeq) throw new NotFoundError(`seq ${seq} is past the last change (${lastSeq})`)
  return { seq, spans: retained(() => history.authorship(docName, seq)), completeFromSeq: history.completeFromSeq(docName) }
}

/** Runs `read`, answering a question about trimmed history as NotFound with the replay's explanation. */
function retained<T>(read: () => T): T {
  try {
    return read()
  } catch (error) {
    if (error instanceof HistoryTrimmedError) throw new NotFoundError(error.message)
    throw error
  }
}
