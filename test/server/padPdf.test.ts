import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describe, expect, it, vi } from 'vitest'
import { type DeltaOp, padPdfFilename, type PadPdfInput, renderPadPdf } from '../../server/pad/padPdf.js'
import { pdfPages, pdfText } from '../helpers/pdfText.js'

const generatedAt = new Date(Date.UTC(2026, 10, 22, 7, 30, 5, 987))

function protocol(content: DeltaOp[]): PadPdfInput {
  return { title: 'Meeting protocol', roomTitle: 'Weekly sync – Raum Köln', generatedAt, content }
}

/** Which embedded DejaVu faces the file carries: font dictionaries stay uncompressed, so their names can be read from the bytes. */
function embeddedFaces(bytes: Buffer): string[] {
  return [...new Set([...bytes.toString('latin1').matchAll(/\/BaseFont\s*\/[A-Z]{6}\+(DejaVuSans[-A-Za-z]*)/g)].map((match) => match[1]!))].sort()
}

const multilingual: DeltaOp[] = [
  { insert: 'Grüße aus Köln, Ärger über Öl\n' },
  { insert: 'naïve café déjà vu\n' },
  { insert: 'Łódź, Čeština, Ørsted, ß\n' },
  { insert: 'Ελληνικά και Здравствуйте\n' },
]

describe('protocol PDF', () => {
  it('starts with the header: title, room title and the UTC time', async () => {
    const bytes = await renderPadPdf(protocol([{ insert: 'Body\n' }]))
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const text = await pdfText(bytes)
    expect(text.split('\n').slice(0, 4)).toEqual(['Meeting protocol', 'Weekly sync – Raum Köln', 'Generated 2026-11-22 07:30:05 UTC', 'Body'])
  })

  it('gives back text with diacritics, Greek and Cyrillic exactly', async () => {
    const text = await pdfText(await renderPadPdf(protocol(multilingual)))
    expect(text).toContain('Grüße aus Köln, Ärger über Öl')
    expect(text).toContain('naïve café déjà vu')
    expect(text).toContain('Łódź, Čeština, Ørsted, ß')
    expect(text).toContain('Ελληνικά και Здравствуйте')
  })

  it('keeps the text of formatted runs, headers and lists, with list markers that count per list', async () => {
    const bytes = await renderPadPdf(
      protocol([
        { insert: 'Decisions' },
        { insert: '\n', attributes: { header: 1 } },
        { insert: 'We ' },
        { insert: 'agreed', attributes: { bold: true } },
        { insert: ' on the ' },
        { insert: 'first', attributes: { italic: true } },
        { insert: ' draft, ' },
        { insert: 'finally', attributes: { bold: true, italic: true, color: '#ff0000' } },
        { insert: '.\n' },
        { insert: 'Open points', attributes: { underline: true } },
        { insert: '\n', attributes: { header: 2 } },
        { insert: 'alpha\nbeta\n', attributes: { list: 'ordered' } },
        { insert: 'gamma' },
        { insert: '\n', attributes: { list: 'ordered' } },
        { insert: { image: 'data:image/png;base64,AAAA' } },
        { insert: 'in between\n' },
        { insert: 'delta' },
        { insert: '\n', attributes: { list: 'ordered' } },
        { insert: 'apples' },
        { insert: '\n', attributes: { list: 'bullet' } },
        { insert: 'pears' },
        { insert: '\n', attributes: { list: 'bullet' } },
      ]),
    )
    const lines = (await pdfText(bytes)).split('\n').slice(3)
    expect(lines).toEqual(['Decisions', 'We agreed on the first draft, finally.', 'Open points', expect.stringMatching(/^1\.\s*alpha$/), expect.stringMatching(/^2\.\s*beta$/), expect.stringMatching(/^3\.\s*gamma$/), 'in between', expect.stringMatching(/^1\.\s*delta$/), expect.stringMatching(/^•\s*apples$/), expect.stringMatching(/^•\s*pears$/)])
    expect(embeddedFaces(bytes)).toEqual(['DejaVuSans', 'DejaVuSans-Bold', 'DejaVuSans-BoldOblique', 'DejaVuSans-Oblique'])
  })

  it('embeds only the faces it uses', async () => {
    expect(embeddedFaces(await renderPadPdf(protocol(multilingual)))).toEqual(['DejaVuSans', 'DejaVuSans-Bold'])
  })

  it('flows a long pad onto further pages, down to its last line', async () => {
    const content: DeltaOp[] = []
    for (let i = 1; i <= 400; i++) {
      if (i % 50 === 0) content.push({ insert: `Section ${i / 50}` }, { insert: '\n', attributes: { header: 2 } })
      else if (i % 7 === 0) content.push({ insert: `Item ${i} with a point that is long enough to wrap around onto a second line of the page, to see the list indent hold` }, { insert: '\n', attributes: { list: 'bullet' } })
      else content.push({ insert: `Line ${i}: ` }, { insert: 'Grüße', attributes: { bold: true } }, { insert: ' and some ordinary words after it.\n' })
    }
    content.push({ insert: 'The very last line — Ende gut, alles gut\n' })
    const pages = await pdfPages(await renderPadPdf(protocol(content)))
    expect(pages.length).toBeGreaterThan(5)
    expect(pages.at(-1)).toContain('The very last line — Ende gut, alles gut')
    expect(pages[0]).toContain('Line 1: Grüße and some ordinary words after it.')
    expect(pages.join('\n')).toContain('Line 398: Grüße and some ordinary words after it.')
    // A blank page would mean a stray page break.
    for (const page of pages) expect(page.trim()).not.toBe('')
  })

  it('renders an empty pad as the header alone', async () => {
    for (const content of [[], [{ insert: '\n' }], [{ insert: '\n\n\n' }]]) {
      const bytes = await renderPadPdf(protocol(content))
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-')
      const pages = await pdfPages(bytes)
      expect(pages).toHaveLength(1)
      expect(pages[0]!.trim()).toBe('Meeting protocol\nWeekly sync – Raum Köln\nGenerated 2026-11-22 07:30:05 UTC')
    }
  })

  it('gives the same bytes for the same input, dated by generatedAt rather than the clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    let first: Buffer, second: Buffer
    try {
      vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
      first = await renderPadPdf(protocol(multilingual))
      vi.setSystemTime(new Date('2031-06-15T12:34:56Z'))
      second = await renderPadPdf(protocol(multilingual))
    } finally {
      vi.useRealTimers()
    }
    expect(second.equals(first)).toBe(true)
    const pdf = await getDocument({ data: new Uint8Array(first), verbosity: 0 }).promise
    const { info } = await pdf.getMetadata()
    await pdf.destroy()
    expect(info).toMatchObject({ Title: 'Meeting protocol', Subject: 'Weekly sync – Raum Köln', Creator: 'Folio', CreationDate: 'D:20261122073005Z' })
  })

  it('names the file after the moment in UTC', () => {
    expect(padPdfFilename(new Date(Date.UTC(2026, 0, 5, 7, 8, 9)))).toBe('protocol_2026-01-05_07-08-09-UTC.pdf')
    expect(padPdfFilename(new Date(Date.UTC(2026, 11, 31, 23, 59, 59, 999)))).toBe('protocol_2026-12-31_23-59-59-UTC.pdf')
  })
})
