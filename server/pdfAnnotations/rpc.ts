import { rpcInputs } from '../../schema/index.js'
import type { RpcRegistry } from '../rpc/index.js'
import { annotatedPdf, type AnnotatedPdfDeps } from './annotatedPdf.js'

/**
 * `annotationEmbed`: the document's PDF with its annotations and comments written in as PDF
 * highlights and notes, as `{documentId, hash, file}` (the file in base64) like the original's,
 * with how many were written and which were left out. The original let anyone ask for any
 * document; here it takes access to the document.
 */
export function registerPdfAnnotationEvents(rpc: RpcRegistry, deps: AnnotatedPdfDeps): void {
  rpc.define('annotationEmbed', rpcInputs.annotationEmbed, async ({ documentId }, ctx) => {
    const { document, file, embedded, skipped } = await annotatedPdf(deps, ctx.can, documentId)
    return { documentId, hash: document.hash, file: Buffer.from(file).toString('base64'), embedded, skipped }
  }, { scope: 'readers of the document; the published entries they see' })
}
