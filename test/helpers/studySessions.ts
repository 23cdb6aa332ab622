import type { WebsocketProvider } from 'y-websocket'
import type { FolioServer } from '../../server/index.js'
import type { EventsConnection } from './events.js'
import { openRaw } from './clients.js'
import { syncUrl } from './server.js'
import { createStudy, studySteps, workflowId, workflowStepIds } from './studies.js'

type Row = Record<string, unknown> & { id: number }

/** A PDF's bytes as documentAdd takes them. */
export const pdfBase64 = Buffer.from('%PDF-1.7\n%%EOF\n').toString('base64')

/** A study of the seeded peer-review workflow on a new PDF of `teacher`: annotate the PDF, then write in the editor step's document. */
export async function peerReviewStudy(events: EventsConnection, dbPath: string, data: Record<string, unknown> = {}) {
  const pdf = (await events.ok<{ doc: Row }>('documentAdd', { name: 'paper.pdf', file: pdfBase64 })).doc.id
  const workflow = workflowId(dbPath, 'Peer Review Workflow')
  const studyId = await createStudy(events, { name: 'Peer review', workflowId: workflow, stepDocuments: [{ id: workflowStepIds(dbPath, workflow)[0], documentId: pdf }], ...data })
  const [annotate, write] = studySteps(dbPath, studyId)
  return { pdf, studyId, annotateStep: annotate!.id, writeStep: write!.id, editorDocument: write!.documentId as number }
}

/** How the server closes a sync connection to `docName` opened with `token` (4403 when refused). */
export async function closeCode(server: FolioServer, docName: string, token: string): Promise<number> {
  return (await openRaw(`${syncUrl(server)}/${docName}?token=${token}`).closed).code
}

/** The close code of a provider's next connection close. */
export function nextClose(provider: WebsocketProvider): Promise<number> {
  return new Promise((resolve) => provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
}

/** The server's current text of a content doc. */
export const serverText = (server: FolioServer, docName: string): string => server.engine.read(docName, (doc) => doc.getText('content').toString())

/** The ids of the entries in a collection of a server-side annotations doc. */
export const serverEntries = (server: FolioServer, docName: string, collection = 'annotations'): string[] => server.engine.read(docName, (doc) => [...doc.getMap(collection).keys()])

/** The text of a `documentGet` answer. */
export const answerText = (answer: { deltas: { ops: { insert: unknown }[] } }): string => answer.deltas.ops.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
