/**
 * A participant's colour, derived from their id so it is the same in every browser and across
 * reloads without being stored anywhere: FNV-1a of the id picks a hue; saturation and lightness
 * are fixed so white cursor-flag text stays readable on it.
 */
export function colorFor(participantId: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < participantId.length; i++) {
    hash ^= participantId.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  // FNV-1a alone leaves ids that differ only at the end on nearby hues; a final avalanche
  // (MurmurHash3's fmix32) spreads them over the whole circle.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  hash = (hash ^ (hash >>> 16)) >>> 0
  return hslToHex(hash % 360, 0.65, 0.42)
}

/** `#rrggbb` for an HSL colour (hue in degrees, the others 0..1): one format to check on remote states. */
function hslToHex(hue: number, saturation: number, lightness: number): string {
  const amplitude = saturation * Math.min(lightness, 1 - lightness)
  const channel = (n: number): string => {
    const k = (n + hue / 30) % 12
    const value = lightness - amplitude * Math.max(-1, Math.min(k - 3, 9 - k, 1))
    return Math.round(value * 255).toString(16).padStart(2, '0')
  }
  return `#${channel(0)}${channel(8)}${channel(4)}`
}

/** Whether `value` is a colour we set ourselves, so a remote peer cannot slip arbitrary CSS in. */
export function isHexColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-f]{6}$/i.test(value)
}
