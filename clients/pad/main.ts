/**
 * The protocol pad page: a Quill editor bound to the room's `pad:<roomId>` Yjs doc over the
 * y-websocket protocol, with remote cursors, a participants list from awareness and a connection
 * status. The server decides read or write from the httpOnly pad cookie and enforces it; this
 * page mirrors the decision (`#pad-config.access`) and follows it when the server narrows it.
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
import { watchDocAccess } from '../docAccess.js'
import { syncServerUrl, trackConnection } from './connection.js'
import { createEditor, lockEditor } from './editor.js'
import { element, showAccess, showNotice } from './page.js'
import { showParticipants } from './participants.js'

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
  const status = trackConnection(provider, element('pad-status'))
  watchDocAccess(provider, (change) => {
    lockEditor(quill)
    if (change.access === 'read') {
      showAccess('read')
      showNotice('You can only read this pad now: changes you made since are not saved. Open the latest pad link from the meeting to continue.')
      return
    }
    status.ended()
    showNotice('Your pad session ended. Ask the moderator for a new link to rejoin.')
  })
}

try {
  start()
} catch (error) {
  showNotice(`The pad could not start: ${error instanceof Error ? error.message : String(error)}`)
  throw error
}
