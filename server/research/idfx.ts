import type { WritingEvent } from './writingEvents.js'

/** What the IDFX log says about where it comes from and whose writing it holds. */
export interface IdfxHeader {
  /** The log's file name, as Inputlog records it. */
  fileName: string
  /** Stable id of the log: the doc it replays. */
  guid: string
  participant: string
  session: string
}

/**
 * Inputlog's XML log (`.idfx`, also read by THEtool and the writing-process pipelines built on it):
 * `<log>` with `<meta>` and `<session>` entries, then one `<event>` per change, times in ms since
 * the first one. A typed or deleted character is a `keyboard` event (its `wordlog` part: cursor
 * position, document length after, replay; its `winlog` part: times, key, value); a longer insert
 * is an `insert` event (a paste: position, the text as `before`), a longer delete a `VK_BACK`
 * keystroke followed by a `replacement` of the range with nothing, as Inputlog logs a deleted
 * selection. A backspace's position is the cursor before it, one past the deleted character.
 */
export function writingIdfx(header: IdfxHeader, events: readonly WritingEvent[]): string {
  const origin = events[0]?.startTime ?? 0
  const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<log>', '  <meta>']
  const entries = (values: Record<string, string | number>) => Object.entries(values).map(([key, value]) => `    <entry><key>${xml(key)}</key><value>${xml(String(value))}</value></entry>`)
  lines.push(
    ...entries({ __LogProgramVersion: 'Folio', __GUID: header.guid, __LogCreationDate: new Date(origin).toISOString(), __LogRelativeCreationDate: 0, __LogFileName: header.fileName }),
    '  </meta>',
    '  <session>',
    ...entries({ Participant: header.participant, Session: header.session }),
    '  </session>',
  )
  let id = 0
  for (const event of events) {
    const start = event.startTime - origin
    const end = event.endTime - origin
    if (event.operation === 'insert' && event.text.length === 1) {
      lines.push(keyboard(id++, event.position, event.documentLength, true, start, end, keyName(event.text), event.text))
    } else if (event.operation === 'insert') {
      lines.push(`  <event type="insert" id="${id++}"><part type="wordlog"><position>${event.position}</position><before>${xml(event.text)}</before><after></after></part></event>`)
    } else if (event.text.length === 1) {
      lines.push(keyboard(id++, event.position + 1, event.documentLength, true, start, end, 'VK_BACK', '&#x8;'))
    } else {
      lines.push(keyboard(id++, event.position + event.text.length, event.documentLength, false, start, end, 'VK_BACK', '&#x8;'))
      lines.push(
        `  <event type="replacement" id="${id++}"><part type="wordlog"><start>${event.position}</start><end>${event.position + event.text.length}</end><newtext></newtext></part></event>`,
      )
    }
  }
  lines.push('</log>', '')
  return lines.join('\n')
}

function keyboard(id: number, position: number, documentLength: number, replay: boolean, start: number, end: number, key: string, value: string): string {
  return (
    `  <event type="keyboard" id="${id}">` +
    `<part type="wordlog"><position>${position}</position><documentLength>${documentLength}</documentLength><replay>${replay ? 'True' : 'False'}</replay></part>` +
    `<part type="winlog"><startTime>${start}</startTime><endTime>${end}</endTime><key>${key}</key><value>${value.startsWith('&#') ? value : xml(value)}</value><keyboardstate></keyboardstate></part>` +
    `</event>`
  )
}

/** The Windows virtual-key name Inputlog logs for a typed character; VK_PACKET for any other Unicode character. */
function keyName(character: string): string {
  if (/^[a-z0-9]$/i.test(character)) return `VK_${character.toUpperCase()}`
  const named: Record<string, string> = { ' ': 'VK_SPACE', '\n': 'VK_RETURN', '\t': 'VK_TAB', '.': 'VK_OEM_PERIOD', ',': 'VK_OEM_COMMA', '-': 'VK_OEM_MINUS' }
  return named[character] ?? 'VK_PACKET'
}

/** Text as XML character data: markup escaped, and characters XML 1.0 cannot hold left out. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}
