/** What the pad page tells its script, in `<script type="application/json" id="pad-config">`. */
export interface PadConfig {
  roomId: string
  /** `pad:<roomId>`, the Yjs doc synced over `/sync`. */
  docName: string
  displayName: string
  participantId: string
  access: 'write' | 'read'
  roomTitle: string
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

/** Reads and checks `#pad-config`; throws with what is missing, so a broken page fails loudly. */
export function readPadConfig(root: Document): PadConfig {
  const element = root.getElementById('pad-config')
  if (!element?.textContent) throw new Error('the page has no #pad-config')
  const raw: unknown = JSON.parse(element.textContent)
  if (!isRecord(raw)) throw new Error('#pad-config is not an object')
  const text = (key: string): string => {
    const value = raw[key]
    if (typeof value !== 'string') throw new Error(`#pad-config.${key} must be a string`)
    return value
  }
  const access = text('access')
  if (access !== 'write' && access !== 'read') throw new Error('#pad-config.access must be "write" or "read"')
  return {
    roomId: text('roomId'),
    docName: text('docName'),
    displayName: text('displayName'),
    participantId: text('participantId'),
    access,
    roomTitle: text('roomTitle'),
  }
}
