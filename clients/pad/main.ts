/**
 * The protocol pad page: a Quill editor bound to the room's `pad:<roomId>` Yjs doc over the
 * y-websocket protocol, with remote cursors, a participants list from awareness and a connection
 * status. The server decides read or write from the httpOnly pad cookie and enforces it; this
 * page only mirrors the decision (`#pad-config.access`).
 */
import 'quill/dist/quill.snow.css'
import 'quill-cursors/css'
import './pad.css'
import { QuillBinding } from 'y-quill'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { padDoc } from '../../schema/docs/pad.js'
import { colorFor } from './colors.js'
import { readPadConfig } from './config.js'
import { syncServerUrl, trackConnection } from './connection.js'
import { createEditor } from './editor.js'
import { showParticipants } from './participants.js'

function element(id: string): HTMLElement {
  const found = document.getElementById(id)
  if (!found) throw new Error(`the pad page has no #${id}`)
  return found
}

function showNotice(message: string): void {
  const notice = element('pad-notice')
  notice.textContent = message
  notice.hidden = false
}

function start(): void {
  const config = readPadConfig(document)
  const doc = new Y.Doc()
  // No BroadcastChannel: two tabs of one browser must not exchange edits past the server, or a
  // read-only tab's changes could reach the doc through a writer tab.
  const provider = new WebsocketProvider(syncServerUrl(location), config.docName, doc, { disableBc: true })
  const quill = createEditor(element('pad-editor'), config.access)
  provider.awareness.setLocalStateField('user', { name: config.displayName, color: colorFor(config.participantId) })
  new QuillBinding(doc.getText(padDoc.text), quill, provider.awareness)
  showParticipants(element('pad-participants'), provider.awareness)
  trackConnection(provider, element('pad-status'), () => {
    quill.enable(false)
    showNotice('Your pad session ended. Ask the moderator for a new link to rejoin.')
  })
}

try {
  start()
} catch (error) {
  showNotice(`The pad could not start: ${error instanceof Error ? error.message : String(error)}`)
  throw error
}
