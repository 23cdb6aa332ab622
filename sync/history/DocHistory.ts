import * as Y from 'yjs'
import type { AuthorshipSpan, Revision, UpdateContext } from '../../schema/index.js'
import { applyStoredState } from '../storedState.js'
import { ChangeRecorder } from './ChangeRecorder.js'
import { firstRangeEndingAfter } from './ranges.js'
import type { Checkpoint, HistoryStore, UpdateRecord } from '../storage/index.js'

/** What one trim of a document's log removed; `seq` is where the log now starts. */
export interface TrimResult {
  docId: string
  seq: number
  /** Log records and checkpoints deleted. */
  updates: number
  checkpoints: number
}

/** A state or change from before the retained log was asked for. */
export class HistoryTrimmedError extends Error {
  override readonly name = 'HistoryTrimmedError'

  constructor(
    message: string,
    /** The first seq whose change the log still holds; the state just before it is available too. */
    readonly completeFromSeq: number,
  ) {
    super(message)
  }
}

/**
 * Replays a document's retained update log: the state after any seq (nearest checkpoint plus
 * the log after it), its revisions as Quill deltas, and who wrote each character still there.
 */
export class DocHistory {
  constructor(
    private readonly store: HistoryStore,
    private readonly textName = 'content',
  ) {}

  lastSeq(docId: string): number {
    return this.store.lastSeq(docId)
  }

  seqAtTime(docId: string, time: number): number {
    return this.store.seqAtTime(docId, time)
  }

  /** Documents with log records stored before `time` (ms since the epoch). */
  docsWithUpdatesBefore(time: number): string[] {
    return this.store.docsWithUpdatesBefore(time)
  }

  /**
   * The first seq whose change the retained log holds: 1 unless the log was trimmed. A trim keeps
   * the record at its cut (so seqs and times stay anchored) and a checkpoint of the state there, so
   * the state at `completeFromSeq - 1` and every later one are available, and the changes from
   * `completeFromSeq` on; before that only states kept as checkpoints (named versions) remain.
   */
  completeFromSeq(docId: string): number {
    const first = this.store.firstSeq(docId)
    return first > 1 ? first + 1 : 1
  }

  /** The document exactly as it was right after update `seq` (seq 0 is the empty document). Throws HistoryTrimmedError. */
  stateAt(docId: string, seq: number): Y.Doc {
    const checkpoint = this.store.checkpointAtOrBefore(docId, seq)
    if (seq > 0 && checkpoint?.seq !== seq) {
      const complete = this.completeFromSeq(docId)
      if (seq < complete - 1) {
        throw new HistoryTrimmedError(
          `seq ${seq} of ${docId} is no longer available: the log before seq ${complete - 1} was trimmed (retention); states are available from seq ${complete - 1}, changes from seq ${complete}`,
          complete,
        )
      }
    }
    const doc = new Y.Doc()
    applyStoredState(doc, checkpoint?.state ?? null, this.store.updates(docId, checkpoint?.seq ?? 0, seq).map((record) => record.update))
    return doc
  }

  /**
   * Up to `limit` revisions from `fromSeq` on. With `groupMs`, consecutive records of one user in
   * one context (a study session's step), less than `groupMs` apart, form one revision (the
   * original's history grouping). A group is always whole: a page ends after its last group, and
   * `nextSeq` (null after the last page) is where the next group starts, so paging through the log
   * gives the same revisions whatever the page size. Records are read `recordsPerRead` at a time,
   * so one long group costs time, not memory for all its updates.
   */
  revisions(docId: string, options: { fromSeq: number; limit: number; groupMs: number }): { revisions: Revision[]; nextSeq: number | null } {
    const { fromSeq, limit, groupMs } = options
    const complete = this.completeFromSeq(docId)
    if (fromSeq < complete) {
      throw new HistoryTrimmedError(`the changes of ${docId} before seq ${complete} are no longer in the log (trimmed by retention); its history is complete from seq ${complete}`, complete)
    }
    const doc = this.stateAt(docId, fromSeq - 1)
    const recorder = new ChangeRecorder(doc)
    const records = this.recordsFrom(docId, fromSeq)
    const revisions: Revision[] = []
    let next = records.next()
    while (!next.done && revisions.length < limit) {
      const first = next.value
      let last = first
      const clients = new Set<number | null>()
      const changes = recorder.record(() => {
        for (; !next.done && (next.value === first || continuesGroup(last, next.value, groupMs)); next = records.next()) {
          Y.applyUpdate(doc, next.value.update)
          clients.add(next.value.clientId)
          last = next.value
        }
      })
      const main = changes.find((change) => change.name === this.textName && change.kind === 'text')
      const mainText = recorder.typeNamed(this.textName)
      revisions.push({
        fromSeq: first.seq,
        toSeq: last.seq,
        createdAt: first.createdAt,
        typedAt: first.typedAt ?? null,
        userId: first.userId,
        clientId: clients.size === 1 ? first.clientId : null,
        delta: main?.kind === 'text' ? main.delta : [],
        length: mainText?.type instanceof Y.Text ? mainText.type.length : 0,
        changes,
        context: contextOf(first),
      })
    }
    doc.destroy()
    return { revisions, nextSeq: next.done ? null : next.value.seq }
  }

  /** The log from `fromSeq` on, read `recordsPerRead` records at a time as it is consumed: who wrote what when, without replaying it. */
  *recordsFrom(docId: string, fromSeq: number): Generator<UpdateRecord, void> {
    const lastSeq = this.store.lastSeq(docId)
    for (let after = fromSeq - 1; after < lastSeq; after += recordsPerRead) yield* this.store.updates(docId, after, Math.min(after + recordsPerRead, lastSeq))
  }

  /**
   * Who wrote each character of the text as it was right after `seq` (default: the current text).
   * Every log record names the account that sent it and the Yjs clock ranges it added, so each
   * character's (client, clock) id finds its author exactly, even when one Yjs client id served
   * several accounts (server-side RPC edits). Throws HistoryTrimmedError as `stateAt` does.
   */
  authorship(docId: string, seq = this.store.lastSeq(docId)): AuthorshipSpan[] {
    const doc = this.stateAt(docId, seq)
    const authors = new ClockRangeAuthors()
    for (const record of this.store.updates(docId, 0, seq)) authors.add(record)
    const spans: AuthorshipSpan[] = []
    let position = 0
    for (let item = doc.getText(this.textName)._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue
      // Yjs merges adjacent items of one client, which may come from several accounts' updates.
      for (const part of authors.split(item.id.client, item.id.clock, item.length)) {
        const last = spans.at(-1)
        if (last && last.userId === part.userId && last.to === position) last.to += part.length
        else spans.push({ from: position, to: position + part.length, userId: part.userId })
        position += part.length
      }
    }
    doc.destroy()
    return spans
  }

  /**
   * Trims the log of `docId` to what happened from `before` (ms since the epoch) on: the last
   * record older than `before` stays, with a checkpoint of the state after it; older records and
   * checkpoints are deleted in one transaction, except checkpoints at `keepSeqs` (named versions),
   * which are written first where missing. Null when there was nothing to trim.
   */
  trim(docId: string, before: number, keepSeqs: readonly number[] = []): TrimResult | null {
    const cut = this.store.seqAtTime(docId, before - 1)
    if (cut <= this.store.firstSeq(docId)) return null
    const createdAt = Date.now()
    const checkpoints: Checkpoint[] = []
    const kept = [...new Set(keepSeqs)].filter((seq) => seq > 0 && seq < cut)
    for (const seq of [cut, ...kept]) {
      if (this.store.checkpointAtOrBefore(docId, seq)?.seq === seq) continue
      let doc: Y.Doc
      try {
        doc = this.stateAt(docId, seq)
      } catch (error) {
        // A version older than an earlier cut that has no checkpoint is already gone; nothing to keep.
        if (error instanceof HistoryTrimmedError && seq !== cut) continue
        throw error
      }
      checkpoints.push({ docId, seq, state: Y.encodeStateAsUpdate(doc), stateVector: Y.encodeStateVector(doc), createdAt })
      doc.destroy()
    }
    return { docId, seq: cut, ...this.store.trimBelow(docId, cut, checkpoints, kept) }
  }
}

/** How many log records a history page reads from the store at once. */
const recordsPerRead = 1_000

/**
 * Whether `record` joins the group that `previous` ended so far: same writer, same context, written
 * soon enough after. "Written" is the typing time where the client told it: a revision is a burst
 * of writing, and an hour of offline edits that arrived in one second at reconnect is many bursts,
 * not one; grouping by arrival would merge them. The gap is taken either way round, since records
 * in log order need not be in typing order (an offline device's edits arrive after later ones).
 */
function continuesGroup(previous: UpdateRecord, record: UpdateRecord, groupMs: number): boolean {
  return groupMs > 0 && previous.userId === record.userId && previous.context === record.context && Math.abs(writtenAt(record) - writtenAt(previous)) <= groupMs
}

/** When a log record (or a revision) was written: its typing time where the client told it, else when it was stored. */
export function writtenAt(record: { createdAt: number; typedAt?: number | null }): number {
  return record.typedAt ?? record.createdAt
}

/** The context the server stored beside a record (see `DocHooks.recordContext`). */
export function contextOf(record: UpdateRecord): UpdateContext | null {
  return record.context === null ? null : (JSON.parse(record.context) as UpdateContext)
}

/** Clock ranges per Yjs client, each with the account whose update added it. */
class ClockRangeAuthors {
  private readonly byClient = new Map<number, { from: number; to: number; userId: string | null }[]>()

  /** Records must come in log order: a client's clocks only grow, so its ranges stay sorted. */
  add(record: UpdateRecord): void {
    const { from, to } = Y.parseUpdateMeta(record.update)
    for (const [client, start] of from) {
      let ranges = this.byClient.get(client)
      if (!ranges) this.byClient.set(client, (ranges = []))
      ranges.push({ from: start, to: to.get(client) ?? start, userId: record.userId })
    }
  }

  /** The clocks [clock, clock + length) of `client` cut into runs of one author each. */
  split(client: number, clock: number, length: number): { length: number; userId: string | null }[] {
    const ranges = this.byClient.get(client) ?? []
    const parts: { length: number; userId: string | null }[] = []
    let at = clock
    const end = clock + length
    let i = firstRangeEndingAfter(ranges, at)
    while (at < end) {
      const range = ranges[i]
      if (range && range.from <= at) {
        const partEnd = Math.min(range.to, end)
        parts.push({ length: partEnd - at, userId: range.userId })
        at = partEnd
        i++
      } else {
        // Clocks no stored update added (e.g. content from before the log was trimmed): author unknown.
        const partEnd = Math.min(range?.from ?? end, end)
        parts.push({ length: partEnd - at, userId: null })
        at = partEnd
      }
    }
    return parts
  }
}
