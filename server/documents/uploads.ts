import { InvalidInputError } from '../errors.js'

const pdfMagic = Buffer.from('%PDF-', 'latin1')
/** A zip starts with a local file header, or, when empty, with its end record. */
const zipMagics = [Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from([0x50, 0x4b, 0x05, 0x06])]

const startsWith = (bytes: Uint8Array, magic: Buffer): boolean => bytes.byteLength >= magic.byteLength && magic.equals(bytes.subarray(0, magic.byteLength))

/** Whether `bytes` begin as a PDF does (`%PDF-`). */
export const isPdfBytes = (bytes: Uint8Array): boolean => startsWith(bytes, pdfMagic)

/** Whether `bytes` begin as a zip does (`PK`, then a local file header or the end record). */
export const isZipBytes = (bytes: Uint8Array): boolean => zipMagics.some((magic) => startsWith(bytes, magic))

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
  if (!isPdfBytes(bytes)) {
    throw new InvalidInputError(`invalid input: ${field}: not a PDF file (a PDF starts with "%PDF-")`)
  }
  return bytes
}
