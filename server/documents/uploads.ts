import { InvalidInputError } from '../errors.js'

const pdfMagic = Buffer.from('%PDF-', 'latin1')

/** Bytes a base64 string decodes to, from its length alone (the schema checked it is base64). */
function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0
  return (base64.length / 4) * 3 - padding
}

/** The file uploaded as `field` (base64): refused, naming the field, when it is larger than `maxBytes` (checked before decoding anything). */
export function decodeUpload(field: string, base64: string, maxBytes: number): Buffer {
  const size = decodedLength(base64)
  if (size > maxBytes) throw new InvalidInputError(`invalid input: ${field}: the file has ${size} bytes; uploads may have at most ${maxBytes} bytes`)
  return Buffer.from(base64, 'base64')
}

/** The PDF uploaded as `field` (base64): refused as `decodeUpload` refuses, and when it does not start like a PDF. */
export function decodePdfUpload(field: string, base64: string, maxBytes: number): Buffer {
  const bytes = decodeUpload(field, base64, maxBytes)
  if (bytes.byteLength < pdfMagic.byteLength || !bytes.subarray(0, pdfMagic.byteLength).equals(pdfMagic)) {
    throw new InvalidInputError(`invalid input: ${field}: not a PDF file (a PDF starts with "%PDF-")`)
  }
  return bytes
}
