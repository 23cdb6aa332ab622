import Quill from 'quill'
import type { RpcData } from '../../../index.js'

/** The files the dashboard uploads, as the file picker's `accept`. */
export const uploadAccept = '.pdf,.html,.htm,application/pdf,text/html'

/** Bytes turned into base64 a slice at a time: one `String.fromCharCode` call per slice stays under the argument limit. */
const base64Slice = 0x8000

function base64Of(bytes: Uint8Array): string {
  let binary = ''
  for (let offset = 0; offset < bytes.length; offset += base64Slice) binary += String.fromCharCode(...bytes.subarray(offset, offset + base64Slice))
  return btoa(binary)
}

/**
 * An HTML file's content as the Quill delta the editor would make of it when pasted: Quill's own
 * clipboard reads it (in a parsed, inert document: nothing in it runs), so the upload holds only
 * what the editor can show.
 */
function deltaOfHtml(html: string): NonNullable<RpcData<'documentAdd'>['delta']> {
  const converter = new Quill(document.createElement('div'))
  // Converting a whole page gives inserts only, which is what an upload's delta must hold.
  return { ops: converter.clipboard.convert({ html }).ops as NonNullable<RpcData<'documentAdd'>['delta']>['ops'] }
}

const isPdf = (file: File): boolean => file.type === 'application/pdf' || /\.pdf$/i.test(file.name)
const isHtml = (file: File): boolean => file.type === 'text/html' || /\.html?$/i.test(file.name)

/** What `documentAdd` takes for a picked file: a PDF's bytes, or an HTML file's content as a delta. Throws for other files. */
export async function uploadOf(file: File): Promise<RpcData<'documentAdd'>> {
  const name = file.name.replace(/\.(pdf|html?)$/i, '').trim().slice(0, 255) || file.name.slice(0, 255)
  const common = { name, originalFilename: file.name.slice(0, 255) }
  if (isPdf(file)) return { ...common, file: base64Of(new Uint8Array(await file.arrayBuffer())) }
  if (isHtml(file)) return { ...common, delta: deltaOfHtml(await file.text()) }
  throw new Error(`${file.name} is neither a PDF nor an HTML file`)
}
