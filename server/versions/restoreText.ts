import * as Y from 'yjs'
import type { DeltaOp } from '../../schema/index.js'
import { firstRangeEndingAfter } from '../../sync/index.js'

type Attributes = Record<string, unknown>

/** The ops `mergeOps` builds: `DeltaOp`s of one kind each (insert, retain or delete), so that neighbours of one kind merge. */
type TextOp =
  | Required<Pick<DeltaOp, 'insert' | 'attributes'>>
  | (Required<Pick<DeltaOp, 'retain'>> & Pick<DeltaOp, 'attributes'>)
  | Required<Pick<DeltaOp, 'delete'>>

/** A run of visible text (or one embed) of a Y.Text: its Yjs id range, content and formatting. */
interface Run {
  client: number
  clock: number
  length: number
  /** The string, or an embed / nested type (length 1). */
  content: string | object
  attributes: Attributes
  /** Whether the other side of the restore holds the same characters (by Yjs id). */
  shared: boolean
}

/**
 * Changes `live` (inside the caller's transaction) so its content equals `target`, the same
 * Y.Text as it was at an earlier state (another Y.Doc), with as small a change as Yjs allows.
 *
 * Characters are matched by their Yjs ids, not by comparing text: a character of the version that
 * is still in the live text is kept (so it keeps its author), live characters the version does not
 * hold are deleted, version characters deleted since are inserted again (they cannot be
 * undeleted, so the restorer becomes their author), and kept characters whose formatting changed
 * are re-formatted. Both texts are subsequences of one Yjs item order, so kept characters come in
 * the same order on both sides. Should the result still differ (it should not), the text is
 * replaced wholesale in the same transaction, so the result is always exactly the version.
 * Returns whether anything changed.
 */
export function restoreText(live: Y.Text, target: Y.Text): boolean {
  const liveRuns = visibleRuns(live)
  const targetRuns = visibleRuns(target)
  if (sameContent(liveRuns, targetRuns)) return false
  markShared(liveRuns, targetRuns)
  markShared(targetRuns, liveRuns)
  const ops = mergeOps(liveRuns, targetRuns)
  if (ops) live.applyDelta(ops)
  if (!ops || !sameContent(visibleRuns(live), targetRuns)) {
    live.delete(0, live.length)
    live.applyDelta(targetRuns.map((run) => ({ insert: insertable(run.content), attributes: { ...run.attributes } })))
  }
  return true
}

/** The visible content of `text` item by item, with the formatting in force, as `toDelta` reads it. */
function visibleRuns(text: Y.Text): Run[] {
  const runs: Run[] = []
  const attributes = new Map<string, unknown>()
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted) continue
    const content = item.content
    if (content instanceof Y.ContentFormat) {
      if (content.value === null) attributes.delete(content.key)
      else attributes.set(content.key, content.value)
      continue
    }
    let value: string | object
    if (content instanceof Y.ContentString) value = content.str
    else if (content instanceof Y.ContentEmbed || content instanceof Y.ContentType) value = content.getContent()[0] as object
    else continue
    runs.push({ client: item.id.client, clock: item.id.clock, length: item.length, content: value, attributes: Object.fromEntries(attributes), shared: false })
  }
  return runs
}

/** Splits `runs` where membership in `other` (by Yjs id) changes, and marks the shared parts. */
function markShared(runs: Run[], other: readonly Run[]): void {
  const ranges = new Map<number, { from: number; to: number }[]>()
  for (const run of other) {
    let list = ranges.get(run.client)
    if (!list) ranges.set(run.client, (list = []))
    list.push({ from: run.clock, to: run.clock + run.length })
  }
  for (const list of ranges.values()) list.sort((a, b) => a.from - b.from)
  const split: Run[] = []
  for (const run of runs) {
    const list = ranges.get(run.client) ?? []
    let at = run.clock
    const end = run.clock + run.length
    let i = firstRangeEndingAfter(list, at)
    while (at < end) {
      const range = list[i]
      const shared = range !== undefined && range.from <= at
      const partEnd = shared ? Math.min(range.to, end) : Math.min(range?.from ?? end, end)
      split.push(slice(run, at - run.clock, partEnd - at, shared))
      at = partEnd
      if (shared) i++
    }
  }
  runs.splice(0, runs.length, ...split)
}

/**
 * The delta that turns the live runs into the target runs: delete live-only parts, insert
 * target-only parts, retain shared parts (re-formatted where their attributes differ). Null when
 * the shared parts do not line up, which Yjs ordering rules out.
 */
function mergeOps(liveRuns: readonly Run[], targetRuns: readonly Run[]): TextOp[] | null {
  const ops: TextOp[] = []
  let li = 0
  let ti = 0
  let live = liveRuns[0]
  let target = targetRuns[0]
  while (live || target) {
    if (live && !live.shared) {
      push(ops, { delete: live.length })
      live = liveRuns[++li]
      continue
    }
    if (target && !target.shared) {
      push(ops, { insert: insertable(target.content), attributes: { ...target.attributes } })
      target = targetRuns[++ti]
      continue
    }
    if (!live || !target || live.client !== target.client || live.clock !== target.clock) return null
    const length = Math.min(live.length, target.length)
    const change = formatChange(live.attributes, target.attributes)
    push(ops, change ? { retain: length, attributes: change } : { retain: length })
    live = length === live.length ? liveRuns[++li] : slice(live, length, live.length - length, true)
    target = length === target.length ? targetRuns[++ti] : slice(target, length, target.length - length, true)
  }
  while (ops.length > 0 && isPlainRetain(ops.at(-1)!)) ops.pop()
  return ops
}

/** Appends `op`, merging it into the previous one when they are of one kind and formatting. */
function push(ops: TextOp[], op: TextOp): void {
  const last = ops.at(-1)
  if (last && 'delete' in last && 'delete' in op) last.delete += op.delete
  else if (last && 'retain' in last && 'retain' in op && sameAttributes(last.attributes ?? {}, op.attributes ?? {})) last.retain += op.retain
  else if (last && 'insert' in last && 'insert' in op && typeof last.insert === 'string' && typeof op.insert === 'string' && sameAttributes(last.attributes, op.attributes)) last.insert += op.insert
  else ops.push(op)
}

function isPlainRetain(op: TextOp): boolean {
  return 'retain' in op && (op.attributes === undefined || Object.keys(op.attributes).length === 0)
}

/** The formatting that turns `from` into `to` (removed attributes as null), or null if they agree. */
function formatChange(from: Attributes, to: Attributes): Attributes | null {
  const change: Attributes = {}
  for (const [key, value] of Object.entries(to)) if (!sameValue(from[key], value)) change[key] = value
  for (const key of Object.keys(from)) if (!(key in to)) change[key] = null
  return Object.keys(change).length > 0 ? change : null
}

/** Part of a run: `length` units from `offset`. */
function slice(run: Run, offset: number, length: number, shared: boolean): Run {
  const content = typeof run.content === 'string' ? run.content.slice(offset, offset + length) : run.content
  return { ...run, clock: run.clock + offset, length, content, shared }
}

/** Content to insert again: strings and embeds as they are; a nested Yjs type as a copy (a type lives in one doc). */
function insertable(content: string | object): string | object {
  return content instanceof Y.AbstractType ? (content as Y.AbstractType<unknown> & { clone(): object }).clone() : content
}

/** Whether two texts hold the same characters with the same formatting (ids aside). */
function sameContent(a: readonly Run[], b: readonly Run[]): boolean {
  return canonical(a) === canonical(b)
}

function canonical(runs: readonly Run[]): string {
  const parts: [unknown, string][] = []
  for (const run of runs) {
    const attributes = stableJson(run.attributes)
    const last = parts.at(-1)
    if (typeof run.content === 'string' && last && typeof last[0] === 'string' && last[1] === attributes) last[0] += run.content
    else parts.push([run.content instanceof Y.AbstractType ? run.content.toJSON() : run.content, attributes])
  }
  return stableJson(parts)
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  return stableJson(a) === stableJson(b)
}

function sameValue(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b)
}

/** JSON with object keys sorted, so equal values give equal strings whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? 'undefined'
}
