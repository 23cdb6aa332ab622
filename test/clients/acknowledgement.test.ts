import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { probeStateVector, storedState } from '../../clients/replica/acknowledgement.js'

/** A client doc whose updates are recorded, in sync with `server` to begin with. */
function clientOf(server: Y.Doc): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(server))
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return { doc, updates }
}

/** The server's answer to the client's probe: its sync step 2 for the probe's state vector. */
function answer(server: Y.Doc, client: Y.Doc, pending: Uint8Array[]): (update: Uint8Array) => boolean {
  return storedState(Y.encodeStateAsUpdate(server, probeStateVector(client, pending)))
}

describe('acknowledgements read from a sync step 2', () => {
  it('count an update as stored only once the server holds all its structs and deletions', () => {
    // A client's pending updates are asked about by their newest struct, so they are acknowledged
    // together: a server that stored only some of them gets the rest at the next sync.
    const server = new Y.Doc()
    server.getText('text').insert(0, 'shared ')
    const { doc, updates } = clientOf(server)
    const text = doc.getText('text')
    text.insert(text.length, 'first')
    text.insert(text.length, 'second')
    text.delete(0, 7)
    const [first, second, deletion] = updates as [Uint8Array, Uint8Array, Uint8Array]
    const pending = [first, second, deletion]

    const none = answer(server, doc, pending)
    expect(pending.map(none)).toEqual([false, false, false])
    Y.applyUpdate(server, first)
    const one = answer(server, doc, pending)
    expect(pending.map(one)).toEqual([false, false, false])
    expect(pending.map(answer(server, doc, [first]))).toEqual([true, false, false])
    Y.applyUpdate(server, second)
    const two = answer(server, doc, pending)
    expect(pending.map(two)).toEqual([true, true, false])
    Y.applyUpdate(server, deletion)
    const all = answer(server, doc, pending)
    expect(pending.map(all)).toEqual([true, true, true])
  })

  it('asks for one struct of each pending client, not the pending edits again', () => {
    const server = new Y.Doc()
    const { doc, updates } = clientOf(server)
    doc.getText('text').insert(0, 'x'.repeat(10_000))
    Y.applyUpdate(server, updates[0]!)
    const step2 = Y.encodeStateAsUpdate(server, probeStateVector(doc, updates))
    expect(step2.byteLength).toBeLessThan(100)
    expect(storedState(step2)(updates[0]!)).toBe(true)
  })

  it('learns nothing from a step 2 that leaves out the pending client (the answer to a full state vector)', () => {
    const server = new Y.Doc()
    const { doc, updates } = clientOf(server)
    doc.getText('text').insert(0, 'stored')
    Y.applyUpdate(server, updates[0]!)
    expect(storedState(Y.encodeStateAsUpdate(server, Y.encodeStateVector(doc)))(updates[0]!)).toBe(false)
  })
})
