import { PDFDocument, PDFHexString, type PDFPage, StandardFonts } from 'pdf-lib'
import { beforeEach, describe, expect, it } from 'vitest'
import { registerAndLogin, rpc } from '../helpers/accounts.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { type LayerPage, pdfAnnotations, pdfLayerPages, type PdfJsAnnotation } from '../helpers/pdfText.js'

type Row = Record<string, unknown>
type Selectors = { target: { selector: Row[] }[] }

const firstPage = ['Folio keeps every change of a document in its log.', 'Highlights carry the comments of their readers,', 'and the PDF keeps them when it is downloaded.']
const secondPage = ['The second page has a sentence of its own.']
const baselines = [760, 740, 720]
const fontSize = 14
const left = 60

/** A two-page PDF as pdf-lib writes it: each line one text item for pdf.js. */
async function twoPagePdf(mark?: (pdf: PDFDocument, pages: PDFPage[]) => Promise<void> | void): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  const font = await pdf.embedFont(StandardFonts.Helvetica)
  const pages = [firstPage, secondPage].map((lines) => {
    const page = pdf.addPage([595, 842])
    lines.forEach((line, index) => page.drawText(line, { x: left, y: baselines[index]!, size: fontSize, font }))
    return page
  })
  await mark?.(pdf, pages)
  return pdf.save()
}

/** Selectors as the web app's annotator writes them for `exact` on page `number` (1-based) of `pages`. */
function selectorsFor(pages: LayerPage[], number: number, exact: string): Selectors {
  const text = pages[number - 1]!.text
  const start = text.indexOf(exact)
  expect(start, `"${exact}" on page ${number}`).toBeGreaterThanOrEqual(0)
  const end = start + exact.length
  return {
    target: [
      {
        selector: [
          { type: 'PagePositionSelector', number },
          { type: 'TextPositionSelector', start, end },
          { type: 'TextQuoteSelector', exact, prefix: text.slice(Math.max(0, start - 32), start), suffix: text.slice(end, end + 32) },
        ],
      },
    ],
  }
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const highlights = (page: PdfJsAnnotation[]) => page.filter((annotation) => annotation.subtype === 'Highlight')
/** [left, bottom, right, top] of a highlight's quads. */
const boundsOf = (points: number[]) => {
  const xs = points.filter((_, index) => index % 2 === 0)
  const ys = points.filter((_, index) => index % 2 === 1)
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)] as const
}

describe('PDF annotations in and out', () => {
  const live = useEventsServer()
  let ann: { events: EventsConnection; token: string; userId: number }
  let ben: { events: EventsConnection; token: string; userId: number }
  let claim: number
  let evidence: number

  beforeEach(async () => {
    ann = await live.connectUser('ann')
    ben = await live.connectUser('ben')
    await ann.events.ok('appDataUpdate', { table: 'tag_set', data: { name: 'Argument', tags: [{ name: 'Claim', colorCode: 'danger' }, { name: 'Evidence', colorCode: 'success' }] } })
    const tags = await ann.events.ok<Row[]>('appData', { table: 'tag' })
    claim = tags.find((tag) => tag.name === 'Claim')!.id as number
    evidence = tags.find((tag) => tag.name === 'Evidence')!.id as number
  })

  const upload = (events: EventsConnection, file: Uint8Array, data: Row = {}) => events.ok<{ doc: Row & { id: number }; annotations: Row[]; errors: string[] }>('documentAdd', { name: 'paper.pdf', file: base64(file), ...data })
  /** Creates an annotation and gives its first comment `comment` (published), as the app does. */
  const annotate = async (events: EventsConnection, documentId: number, selectors: Selectors, tagId: number | null, comment: string) => {
    const annotation = await events.ok<Row & { id: string }>('annotationUpdate', { documentId, selectors, tagId, draft: false })
    const comments = await events.ok<Row[]>('commentGetByDocument', { documentId })
    const first = comments.find((row) => row.annotationId === annotation.id)!
    await events.ok('commentUpdate', { documentId, commentId: first.id, text: comment })
    return { annotation, commentId: first.id as string }
  }
  const storedFile = async (events: EventsConnection, documentId: number) => Buffer.from((await events.ok<{ file: string }>('documentGet', { documentId })).file, 'base64')

  it('annotationEmbed writes highlights in the tags’ colours with their comment threads, pdf.js reads them back, and uploading that PDF imports them as they were', async () => {
    const original = await twoPagePdf()
    const pages = await pdfLayerPages(original)
    const added = await upload(ann.events, original)
    expect(added).toMatchObject({ doc: { type: 0 }, annotations: [], errors: [] })
    const documentId = added.doc.id
    await ann.events.ok('documentPublish', { documentId })

    const every = await annotate(ann.events, documentId, selectorsFor(pages, 1, 'every change'), claim, 'Why every one?')
    await ben.events.ok('commentUpdate', { documentId, annotationId: every.annotation.id, parentCommentId: every.commentId, text: 'Because of the log.', draft: false })
    // Over a line end: the app's page text has no character there.
    const across = await annotate(ann.events, documentId, selectorsFor(pages, 1, 'readers,and the PDF'), evidence, 'Two lines')
    const second = await annotate(ann.events, documentId, selectorsFor(pages, 2, 'a sentence of its own'), null, 'Ünïcødé ✓ note')
    await ann.events.ok('annotationUpdate', { documentId, selectors: selectorsFor(pages, 1, 'Folio'), tagId: claim, draft: true })
    const lost = await ann.events.ok<Row>('annotationUpdate', {
      documentId,
      draft: false,
      selectors: { target: [{ selector: [{ type: 'PagePositionSelector', number: 1 }, { type: 'TextPositionSelector', start: 900, end: 910 }, { type: 'TextQuoteSelector', exact: 'not in this PDF' }] }] },
    })

    const embedded = await ann.events.ok<{ documentId: number; hash: string; file: string; embedded: number; skipped: Row[] }>('annotationEmbed', { documentId })
    expect(embedded).toMatchObject({ documentId, hash: added.doc.hash, embedded: 3, skipped: [{ annotationId: lost.id, reason: 'its text was not found in the PDF' }] })
    const file = Buffer.from(embedded.file, 'base64')
    const [onFirst, onSecond] = await pdfAnnotations(file)

    // pdf.js sees two highlights and a reply on page 1, one highlight on page 2, each with its popup; the draft is left out.
    expect(highlights(onFirst!).map((h) => [h.contents, h.title, h.color])).toEqual([
      ['Why every one?', 'ann', [220, 53, 69]],
      ['Two lines', 'ann', [25, 135, 84]],
    ])
    expect(highlights(onSecond!).map((h) => [h.contents, h.title, h.color])).toEqual([['Ünïcødé ✓ note', 'ann', [255, 255, 0]]])
    const [everyHighlight, acrossHighlight] = highlights(onFirst!)
    expect(onFirst!.filter((a) => a.subtype === 'Text').map((a) => [a.inReplyTo, a.contents, a.title])).toEqual([[everyHighlight!.id, 'Because of the log.', 'ben']])
    for (const highlight of [...highlights(onFirst!), ...highlights(onSecond!)]) {
      expect(highlight.popupRef).not.toBeNull()
      expect([...onFirst!, ...onSecond!].find((a) => a.id === highlight.popupRef)?.subtype).toBe('Popup')
    }

    // The quads lie on the quoted text: one per line it covers, around the line's baseline, within the line.
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)
    const glyphSpan = (line: string, exact: string) => {
      const at = line.indexOf(exact)
      return [left + font.widthOfTextAtSize(line.slice(0, at), fontSize), left + font.widthOfTextAtSize(line.slice(0, at + exact.length), fontSize)] as const
    }
    const expectOn = (quad: number[], line: number, text: string, exact: string) => {
      const [x0, y0, x1, y1] = boundsOf(quad)
      const [from, to] = glyphSpan(text, exact)
      expect(y0).toBeLessThan(baselines[line]!)
      expect(y1).toBeGreaterThan(baselines[line]! + fontSize / 2)
      expect(y1 - y0).toBeLessThan(fontSize * 1.5)
      // pdf.js gives whole lines, not glyphs: the highlight may be off by a character at each end.
      expect(Math.abs(x0 - from)).toBeLessThan(fontSize)
      expect(Math.abs(x1 - to)).toBeLessThan(fontSize)
    }
    expect(everyHighlight!.quadPoints).toHaveLength(8)
    expectOn(everyHighlight!.quadPoints!, 0, firstPage[0]!, 'every change')
    expect(acrossHighlight!.quadPoints).toHaveLength(16)
    expectOn(acrossHighlight!.quadPoints!.slice(0, 8), 1, firstPage[1]!, 'readers,')
    expectOn(acrossHighlight!.quadPoints!.slice(8), 2, firstPage[2]!, 'and the PDF')

    // The same PDF as a download.
    const download = await fetch(`${live.server.url}/documents/${documentId}/annotations/pdf`, { headers: { authorization: `Bearer ${ben.token}` } })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect((await pdfAnnotations(new Uint8Array(await download.arrayBuffer()))).map((page) => highlights(page).length)).toEqual([2, 1])

    // Uploading the annotated PDF makes the same annotations again, and stores the PDF without them.
    const imported = await upload(ann.events, file)
    expect(imported.errors).toEqual([])
    const copyId = imported.doc.id
    const originals = [every.annotation, across.annotation, second.annotation].map((annotation) => annotation.id)
    const before = (await ann.events.ok<Row[]>('annotationGetByDocument', { documentId })).filter((row) => originals.includes(row.id as string))
    const strip = (row: Row) => ({ selectors: row.selectors, tagId: row.tagId, text: row.text, draft: row.draft, userId: row.userId })
    expect(imported.annotations.map(strip)).toEqual(before.map(strip))
    expect(await ann.events.ok<Row[]>('annotationGetByDocument', { documentId: copyId })).toEqual(imported.annotations)

    const threads = async (id: number) => {
      const rows = await ann.events.ok<Row[]>('commentGetByDocument', { documentId: id })
      const annotations = await ann.events.ok<Row[]>('annotationGetByDocument', { documentId: id })
      const textOf = (commentId: unknown) => rows.find((row) => row.id === commentId)?.text ?? null
      return annotations
        .filter((annotation) => annotation.draft === false && rows.some((row) => row.annotationId === annotation.id && row.text !== ''))
        .map((annotation) => [annotation.text, rows.filter((row) => row.annotationId === annotation.id && row.draft === false).map((row) => [row.text, textOf(row.parentCommentId)])])
    }
    expect(await threads(copyId)).toEqual(await threads(documentId))
    expect((await pdfAnnotations(await storedFile(ann.events, copyId))).flat()).toEqual([])
  })

  it('imports the highlights and sticky notes other tools wrote, leaves other markup in the file, and refuses what it must', async () => {
    const font = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)
    const lineWidth = (line: string) => font.widthOfTextAtSize(line, fontSize)
    const foreign = await twoPagePdf((pdf, [page]) => {
      const quadOfLine = (index: number) => {
        const [bottom, top] = [baselines[index]! - 3, baselines[index]! + fontSize - 2]
        return [left, top, left + lineWidth(firstPage[index]!), top, left, bottom, left + lineWidth(firstPage[index]!), bottom]
      }
      const add = (fields: Record<string, unknown>) => page!.node.addAnnot(pdf.context.register(pdf.context.obj({ Type: 'Annot', ...fields })))
      add({ Subtype: 'Highlight', Rect: [left, 715, 400, 736], QuadPoints: quadOfLine(2), C: [1, 1, 0], T: PDFHexString.fromText('Reviewer'), Subj: PDFHexString.fromText('Claim'), Contents: PDFHexString.fromText('Whole line') })
      add({ Subtype: 'Highlight', Rect: [left, 735, 400, 756], QuadPoints: quadOfLine(1), C: [0, 0, 1], Subj: PDFHexString.fromText('No such tag') })
      add({ Subtype: 'Text', Rect: [20, 800, 40, 820], Contents: PDFHexString.fromText('A sticky note') })
      add({ Subtype: 'Underline', Rect: [left, 755, 400, 776], QuadPoints: quadOfLine(0) })
    })
    const pages = await pdfLayerPages(foreign)

    const imported = await upload(ann.events, foreign)
    expect(imported.errors).toEqual(['page 1: a Underline annotation is not imported (Folio imports highlights and text notes); it stays in the file'])
    expect(imported.annotations.map((row) => [row.text, row.tagId, row.selectors])).toEqual([
      [firstPage[2], claim, selectorsFor(pages, 1, firstPage[2]!)],
      [firstPage[1], null, selectorsFor(pages, 1, firstPage[1]!)],
      ['', null, { target: [{ selector: [{ type: 'PagePositionSelector', number: 1 }] }] }],
    ])
    const comments = await ann.events.ok<Row[]>('commentGetByDocument', { documentId: imported.doc.id })
    expect(comments.map((row) => [row.annotationId, row.text, row.userId, row.draft])).toEqual(imported.annotations.map((row, index) => [row.id, ['Whole line', '', 'A sticky note'][index], ann.userId, false]))
    expect((await pdfAnnotations(await storedFile(ann.events, imported.doc.id))).flat().map((annotation) => annotation.subtype)).toEqual(['Underline'])

    // Without the import the notes are still taken out of the stored file, as the original did.
    const plain = await upload(ann.events, foreign, { importAnnotations: false })
    expect(plain).toMatchObject({ annotations: [], errors: [] })
    expect(await ann.events.ok('annotationGetByDocument', { documentId: plain.doc.id })).toEqual([])
    expect((await pdfAnnotations(await storedFile(ann.events, plain.doc.id))).flat().map((annotation) => annotation.subtype)).toEqual(['Underline'])

    // A file pdf-lib cannot read is kept as it came, and the uploader is told.
    const broken = Buffer.from('%PDF-1.7\n%%EOF\n')
    const kept = await upload(ann.events, broken)
    expect(kept.errors).toEqual(['the file could not be read as a PDF, so annotations it may hold were not imported; it is stored as uploaded'])
    expect((await storedFile(ann.events, kept.doc.id)).equals(broken)).toBe(true)

    // annotationEmbed: only for readers of the document, only for PDFs.
    const failure = async (event: string, data: unknown, token: string) => {
      const { status, body } = await rpc(live.server.url, event, data, token)
      return { status, message: body.success ? null : body.message }
    }
    expect(await failure('annotationEmbed', { documentId: imported.doc.id }, ben.token)).toMatchObject({ status: 403 })
    expect((await fetch(`${live.server.url}/documents/${imported.doc.id}/annotations/pdf`, { headers: { authorization: `Bearer ${ben.token}` } })).status).toBe(403)
    expect((await fetch(`${live.server.url}/documents/${imported.doc.id}/annotations/pdf`)).status).toBe(401)
    expect(await failure('annotationEmbed', { documentId: 99_999 }, ann.token)).toMatchObject({ status: 404 })
    const html = await ann.events.ok<Row>('documentCreate', { name: 'notes' })
    expect(await failure('annotationEmbed', { documentId: html.id }, ann.token)).toEqual({ status: 400, message: `invalid input: documentId: document ${html.id} is not a PDF: only PDF documents have annotations to embed` })
    expect((await failure('annotationEmbed', { documentId: 'x' }, ann.token)).message).toMatch(/^invalid input: documentId/)
  })
})

describe('the limit of imported annotations', () => {
  const live = useEventsServer({ FOLIO_MAX_IMPORTED_ANNOTATIONS: '2' })

  it('refuses a PDF with more notes than an upload may import, naming the way around, and stores nothing', async () => {
    const { token } = await registerAndLogin(live.server.url, 'cara')
    const notes = (count: number) =>
      twoPagePdf((pdf, [page]) => {
        for (let index = 0; index < count; index++) page!.node.addAnnot(pdf.context.register(pdf.context.obj({ Type: 'Annot', Subtype: 'Text', Rect: [20, 800, 40, 820], Contents: PDFHexString.fromText(`note ${index}`) })))
      })
    const add = async (file: Uint8Array, data: Row = {}) => (await rpc<{ annotations: Row[] }>(live.server.url, 'documentAdd', { name: 'notes.pdf', file: base64(file), ...data }, token)).body
    expect(await add(await notes(3))).toEqual({ success: false, message: 'invalid input: file: the PDF has 3 notes; an upload imports at most 2 (send importAnnotations: false to upload it without them)' })
    expect(await rpc(live.server.url, 'documentGetAll', {}, token)).toMatchObject({ body: { data: [] } })
    const two = await add(await notes(2))
    expect(two.success && two.data.annotations).toHaveLength(2)
    expect(await add(await notes(3), { importAnnotations: false })).toMatchObject({ success: true, data: { annotations: [] } })
  })
})
