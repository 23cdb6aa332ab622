import * as Y from 'yjs'
import type { ArrayDeltaOp, DeltaOp, SharedTypeChange, SharedTypeKind } from '../../schema/index.js'
import { kindOf, plainText, type SharedType, typeAs, typeSharedTypes } from './sharedTypes.js'

type MapKeys = Extract<SharedTypeChange, { kind: 'map' }>['keys']

/** What the observers of one type collected during one transaction. */
interface Observed {
  delta: DeltaOp[] | ArrayDeltaOp[]
  keys: Map<string, 'add' | 'update' | 'delete'>
}

/**
 * Watches every top-level type of a replayed doc and tells, for each batch of updates applied in
 * one transaction, what changed in each: text deltas from Yjs, XML fragments as a delta over their
 * plain text, map keys with their new values, array deltas. A type that first shows content in a
 * batch (new, or untyped until then because it held nothing visible) is reported whole.
 */
export class ChangeRecorder {
  private readonly types = new Map<string, { kind: SharedTypeKind; type: SharedType }>()
  /** The plain text of each XML fragment after the last batch, to diff the next one against. */
  private readonly xmlTexts = new Map<string, string>()
  private readonly observed = new Map<string, Observed>()

  constructor(private readonly doc: Y.Doc) {
    for (const [name, typed] of typeSharedTypes(doc)) this.watch(name, typed.kind, typed.type)
  }

  /** The typed top-level type `name`, if the doc holds it. */
  typeNamed(name: string): { kind: SharedTypeKind; type: SharedType } | undefined {
    return this.types.get(name)
  }

  /** Runs `apply` in one transaction and returns what it changed, type by type in name order. */
  record(apply: () => void): SharedTypeChange[] {
    this.observed.clear()
    this.doc.transact(apply)
    const changes: SharedTypeChange[] = []
    for (const [name, observed] of this.observed) {
      const { kind, type } = this.types.get(name)!
      changes.push(this.changeOf(name, kind, type, observed))
    }
    for (const [name, type] of [...this.doc.share]) {
      if (this.types.has(name)) continue
      const kind = kindOf(type)
      if (!kind) continue
      const typed = typeAs(this.doc, name, kind)
      this.watch(name, kind, typed)
      changes.push(this.whole(name, kind, typed))
    }
    return changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  }

  private watch(name: string, kind: SharedTypeKind, type: SharedType): void {
    this.types.set(name, { kind, type })
    if (kind === 'xml') this.xmlTexts.set(name, plainText(type))
    // Yjs computes an event's changes only while its handlers run, so they are read here.
    type.observeDeep((events) => {
      const observed: Observed = { delta: [], keys: new Map() }
      for (const event of events) {
        if (event.target === type) {
          if (kind === 'text') observed.delta = (event as Y.YTextEvent).delta as DeltaOp[]
          if (kind === 'array') observed.delta = event.changes.delta.map((op) => (op.insert ? { insert: (op.insert as unknown[]).map(toJson) } : op)) as ArrayDeltaOp[]
          for (const [key, change] of event.changes.keys) observed.keys.set(key, change.action)
        } else if (kind === 'map' && typeof event.path[0] === 'string' && !observed.keys.has(event.path[0])) {
          observed.keys.set(event.path[0], 'update')
        }
      }
      this.observed.set(name, observed)
    })
  }

  private changeOf(name: string, kind: SharedTypeKind, type: SharedType, observed: Observed): SharedTypeChange {
    if (kind === 'map') {
      const keys: MapKeys = {}
      for (const [key, action] of observed.keys) keys[key] = action === 'delete' ? { action } : { action, value: toJson((type as Y.Map<unknown>).get(key)) }
      return { name, kind, keys }
    }
    if (kind === 'array') return { name, kind, delta: observed.delta as ArrayDeltaOp[], length: (type as Y.Array<unknown>).length }
    if (kind === 'text') return { name, kind, delta: observed.delta as DeltaOp[], length: (type as Y.Text).length }
    const before = this.xmlTexts.get(name) ?? ''
    const after = plainText(type)
    this.xmlTexts.set(name, after)
    return { name, kind, delta: textDiff(before, after), length: after.length }
  }

  private whole(name: string, kind: SharedTypeKind, type: SharedType): SharedTypeChange {
    if (kind === 'text') return { name, kind, delta: (type as Y.Text).toDelta() as DeltaOp[], length: (type as Y.Text).length }
    if (kind === 'array') return { name, kind, delta: [{ insert: (type as Y.Array<unknown>).toArray().map(toJson) }], length: (type as Y.Array<unknown>).length }
    if (kind === 'map') {
      const keys: MapKeys = {}
      for (const [key, value] of (type as Y.Map<unknown>).entries()) keys[key] = { action: 'add', value: toJson(value) }
      return { name, kind, keys }
    }
    const text = this.xmlTexts.get(name) ?? ''
    return { name, kind, delta: text ? [{ insert: text }] : [], length: text.length }
  }
}

function toJson(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.toJSON() : value
}

/** One retain, delete and insert that turn `before` into `after`: their common start and end are kept. */
export function textDiff(before: string, after: string): DeltaOp[] {
  let start = 0
  const shorter = Math.min(before.length, after.length)
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++
  let end = 0
  while (end < shorter - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++
  const ops: DeltaOp[] = []
  if (start > 0 && (before.length - end > start || after.length - end > start)) ops.push({ retain: start })
  if (before.length - end > start) ops.push({ delete: before.length - end - start })
  if (after.length - end > start) ops.push({ insert: after.slice(start, after.length - end) })
  return ops
}
