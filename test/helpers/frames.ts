import * as encoding from 'lib0/encoding'

/** A hand-built frame: numbers as varUints, byte arrays length-prefixed, for well- and ill-formed messages alike. */
export function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const encoder = encoding.createEncoder()
  for (const part of parts) {
    if (typeof part === 'number') encoding.writeVarUint(encoder, part)
    else encoding.writeVarUint8Array(encoder, part)
  }
  return encoding.toUint8Array(encoder)
}
