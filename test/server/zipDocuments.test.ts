import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { strToU8, zipSync } from 'fflate'
import { describe, expect, it } from 'vitest'
import { rpc } from '../helpers/accounts.js'
import { useEventsServer } from '../helpers/eventsServer.js'

const maxEntries = 5
const maxUnpacked = 64 * 1024

/** A zip of the given entries (name -> text), deflated as fflate writes it. */
const zipOf = (entries: Record<string, string>) => Buffer.from(zipSync(Object.fromEntries(Object.entries(entries).map(([name, text]) => [name, strToU8(text)]))))

describe('ZIP documents (type 4)', () => {
  const live = useEventsServer({ FOLIO_MAX_ZIP_ENTRIES: String(maxEntries), FOLIO_MAX_ZIP_UNPACKED_BYTES: String(maxUnpacked) })

  it('stores a checked zip once and serves it back to its readers; refuses traversal, too many entries, zip bombs and damaged zips with a clear message, storing nothing', async () => {
    const ann = await live.connectUser('ann')
    const ben = await live.connectUser('ben')
    const upload = async (file: Buffer, data: Record<string, unknown> = {}) => (await rpc<{ doc: Record<string, unknown> & { id: number } }>(live.server.url, 'documentAdd', { name: 'submission.zip', file: file.toString('base64'), ...data }, ann.token)).body
    const refusal = async (file: Buffer, data: Record<string, unknown> = {}) => {
      const answer = await upload(file, data)
      return answer.success ? 'stored' : answer.message
    }

    const good = zipOf({ 'essay.txt': 'My essay', 'figures/chart.csv': 'a,b\n1,2\n', 'figures/': '' })
    const added = await upload(good)
    if (!added.success) throw new Error(added.message)
    expect(added.data).toMatchObject({ doc: { type: 4, fileSize: good.byteLength }, annotations: [], errors: [] })
    const read = await ann.events.ok<{ document: { type: number }; file: string }>('documentGet', { documentId: added.data.doc.id })
    expect(read.document.type).toBe(4)
    expect(Buffer.from(read.file, 'base64').equals(good)).toBe(true)
    expect((await ben.events.call('documentGet', { documentId: added.data.doc.id })).success).toBe(false)
    // The type may be given; the bytes must agree with it.
    expect(await upload(good, { type: 4 })).toMatchObject({ success: true, data: { doc: { type: 4 } } })
    expect(await refusal(Buffer.from('%PDF-1.7\n%%EOF\n'), { type: 4 })).toBe('invalid input: file: not a zip file (a zip starts with "PK")')
    expect(await refusal(good, { type: 0 })).toBe('invalid input: file: not a PDF file (a PDF starts with "%PDF-")')
    const files = () => readdirSync(join(live.dir, 'files'))
    const stored = files()

    expect(await refusal(zipOf({ '../outside.txt': 'x' }))).toMatch(/^invalid input: file: an entry's name is not a plain path inside the zip \(invalid relative path: \.\.\/outside\.txt\)$/)
    expect(await refusal(zipOf({ '/etc/passwd': 'x' }))).toMatch(/^invalid input: file: an entry's name is not a plain path inside the zip \(absolute path: \/etc\/passwd\)$/)
    expect(await refusal(zipOf({ 'a\\..\\..\\b.txt': 'x' }))).toMatch(/^invalid input: file: an entry's name is not a plain path inside the zip \(invalid characters in fileName: /)
    expect(await refusal(zipOf(Object.fromEntries(Array.from({ length: maxEntries + 1 }, (_, index) => [`file${index}.txt`, 'x']))))).toBe(
      `invalid input: file: the zip has ${maxEntries + 1} entries; a zip may have at most ${maxEntries}`,
    )
    // A bomb: a few hundred bytes that unpack to more than the limit.
    const bomb = zipOf({ 'zeros.txt': '0'.repeat(maxUnpacked + 1) })
    expect(bomb.byteLength).toBeLessThan(1000)
    expect(await refusal(bomb)).toBe(`invalid input: file: the zip unpacks to more than ${maxUnpacked} bytes, the most a zip may hold`)

    // Damaged: cut short, and a changed byte in the packed data of an entry.
    expect(await refusal(good.subarray(0, good.byteLength - 10))).toMatch(/^invalid input: file: not a readable zip file \(/)
    const corrupt = zipOf({ 'long.txt': 'Folio keeps every change. '.repeat(200) })
    corrupt[60] = corrupt[60]! ^ 0xff
    expect(await refusal(corrupt)).toMatch(/^invalid input: file: the zip is damaged \(/)
    expect(files()).toEqual(stored)
  })
})
