import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import PDFDocument from 'pdfkit'
import type { DeltaOp } from '../../schema/index.js'
import { quillLines } from '../history/index.js'

export type { DeltaOp }
export interface PadPdfInput {
  /** e.g. "Meeting protocol" */
  title: string
  roomTitle: string
  /** Printed as "2026-11-22 07:30:05 UTC" and used as the document's CreationDate. */
  generatedAt: Date
  /** The pad's content (Quill delta). */
  content: DeltaOp[]
}

const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf', italic: 'DejaVuSans-Oblique.ttf', boldItalic: 'DejaVuSans-BoldOblique.ttf' } as const
type FontVariant = keyof typeof FONT_FILES

let fonts: Promise<Record<FontVariant, Buffer>> | undefined

/** The four DejaVu Sans faces, read once per process: they are ~2.7 MB together, and pdfkit subsets them per document anyway. */
function loadFonts(): Promise<Record<FontVariant, Buffer>> {
  fonts ??= readFonts().catch((error: unknown) => {
    // A failed read must not stick: the next export retries instead of failing until restart.
    fonts = undefined
    throw error
  })
  return fonts
}

async function readFonts(): Promise<Record<FontVariant, Buffer>> {
  // The package has no exports map and no main, so package.json is the one specifier that resolves wherever npm placed it.
  const dir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf')
  const entries = await Promise.all(Object.entries(FONT_FILES).map(async ([variant, file]) => [variant, await readFile(join(dir, file))] as const))
  return Object.fromEntries(entries) as Record<FontVariant, Buffer>
}

interface Run { text: string; bold: boolean; italic: boolean }
interface Line { runs: Run[]; header: 1 | 2 | 3 | undefined; list: 'bullet' | 'ordered' | undefined }

/** The delta's lines as the PDF prints them: bold and italic runs, headers 1–3, bullet and ordered lists. */
function deltaLines(content: DeltaOp[]): Line[] {
  const lines = quillLines(content).map(({ runs, attributes }): Line => {
    const header = attributes.header === 1 || attributes.header === 2 || attributes.header === 3 ? attributes.header : undefined
    const list = attributes.list === 'bullet' || attributes.list === 'ordered' ? attributes.list : undefined
    const printed = runs.map((run) => ({
      // Tabs and CRs have no glyph in DejaVu and would print as boxes.
      text: run.text.replace(/\r/g, '').replace(/\t/g, '    '),
      bold: run.attributes.bold === true,
      italic: run.attributes.italic === true,
    }))
    return { runs: printed.filter((run) => run.text !== ''), header, list }
  })
  // Quill pads end in blank lines; printing them could only add an empty page.
  while (lines.length > 0 && lines.at(-1)!.runs.length === 0 && lines.at(-1)!.list === undefined) lines.pop()
  return lines
}

const BODY_SIZE = 11
const HEADER_SIZES = { 1: 18, 2: 15, 3: 13 } as const
const LIST_INDENT = 20
const MARGIN = 56 // ~2 cm

function fontName(bold: boolean, italic: boolean): FontVariant {
  return bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular'
}

/** "2026-11-22 07:30:05", in UTC. */
function utcStamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ')
}

/** Renders the protocol to PDF bytes with an embedded DejaVu Sans font (covers Latin with diacritics, Greek, Cyrillic). */
export async function renderPadPdf(input: PadPdfInput): Promise<Buffer> {
  const faces = await loadFonts()
  return new Promise<Buffer>((resolve, reject) => {
    // CreationDate also seeds the file ID, so fixing it makes equal inputs give equal bytes.
    const doc = new PDFDocument({ size: 'A4', margin: MARGIN, displayTitle: true, info: { Title: input.title, Subject: input.roomTitle, Creator: 'Folio', CreationDate: input.generatedAt } })
    const chunks: Buffer[] = []
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
    for (const variant of Object.keys(FONT_FILES) as FontVariant[]) doc.registerFont(variant, faces[variant])

    const left = doc.page.margins.left
    const width = doc.page.width - left - doc.page.margins.right
    doc.font('bold').fontSize(20).text(input.title, { width })
    doc.font('regular').fontSize(12).text(input.roomTitle, { width })
    doc.fillColor('#555555').fontSize(9).text(`Generated ${utcStamp(input.generatedAt)} UTC`, { width }).fillColor('black')
    doc.moveDown(0.5)
    doc.moveTo(left, doc.y).lineTo(left + width, doc.y).lineWidth(0.5).strokeColor('#999999').stroke()
    doc.moveDown(1)

    let ordinal = 0
    for (const line of deltaLines(input.content)) {
      ordinal = line.list === 'ordered' ? ordinal + 1 : 0
      doc.fontSize(line.header ? HEADER_SIZES[line.header] : BODY_SIZE)
      if (line.header) doc.moveDown(0.4)
      if (line.runs.length === 0 && line.list === undefined) {
        doc.moveDown(1)
        continue
      }
      // The marker is placed by hand; break the page first so it cannot stay behind while its text moves on.
      if (doc.y + doc.currentLineHeight(true) > doc.page.maxY()) doc.addPage()
      const marker = line.list === 'bullet' ? '•' : line.list === 'ordered' ? `${ordinal}.` : ''
      doc.font(fontName(line.header !== undefined, false))
      // Long ordinals ("100.") push their text right rather than run into it.
      const indent = marker ? Math.max(LIST_INDENT, doc.widthOfString(marker) + 5) : 0
      const y = doc.y
      if (marker) doc.text(marker, left, y, { lineBreak: false })
      const runs = line.runs.length > 0 ? line.runs : [{ text: ' ', bold: false, italic: false }]
      runs.forEach((run, i) => {
        doc.font(fontName(run.bold || line.header !== undefined, run.italic))
        const options = { width: width - indent, continued: i < runs.length - 1, paragraphGap: line.header ? 4 : 2 }
        if (i === 0) doc.text(run.text, left + indent, y, options)
        else doc.text(run.text, options)
      })
    }
    doc.end()
  })
}

/** `protocol_YYYY-MM-DD_HH-MM-SS-UTC.pdf` for the given moment, in UTC. */
export function padPdfFilename(at: Date): string {
  const [date, time] = utcStamp(at).split(' ') as [string, string]
  return `protocol_${date}_${time.replaceAll(':', '-')}-UTC.pdf`
}
