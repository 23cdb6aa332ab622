import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { type AnnotationsExport, type AnnotationsExportScope, type Authorship, type ContentAt, type ContentFormat, documentContentDoc, documentDocName, type HistoryExportFormat, type HistoryPage } from '../../schema/index.js'
import { type FolioDatabase, openDatabase } from '../../schema/db/index.js'
import { DocHistory, SqliteHistoryStore } from '../../sync/index.js'
import { findLiveDocument } from '../access/index.js'
import { annotationsCsv, annotationsEntries, documentAnnotationsExport } from '../annotations/index.js'
import { NotFoundError } from '../errors.js'
import { accountAuthorNames, authorshipOf, contentAt, historyPage } from '../history/index.js'
import { docHistoryExport, type ExportTarget, studyArchive } from '../research/index.js'

/** The database file is missing or cannot be opened; 503, as an unreachable server's answer. */
export class DatabaseUnavailableError extends Error {
  readonly status = 503

  constructor(message: string) {
    super(message)
    this.name = 'DatabaseUnavailableError'
  }
}

/** No account reads the file: nobody's drafts are their own, and anonymous entries stay anonymous. */
const databaseViewer = { userId: 0, isAdmin: false }

/**
 * The `folio` CLI's `--db` mode: reads the database file directly, through the server's own export
 * code and DocHistory, so the output is the same as over HTTP. It lives with the server because it
 * runs the server's code; the CLI (`clients/cli`) is handed it by its entry point. Opening applies
 * pending migrations, as starting the server does.
 */
export class DatabaseSource {
  private readonly history: DocHistory
  private readonly authorNames: ReturnType<typeof accountAuthorNames>
  readonly description: string

  private constructor(
    private readonly db: FolioDatabase,
    path: string,
  ) {
    this.history = new DocHistory(new SqliteHistoryStore(db), documentContentDoc.text)
    this.authorNames = accountAuthorNames(db)
    this.description = `database ${path}`
  }

  static open(path: string): DatabaseSource {
    const file = resolve(path)
    if (!existsSync(file)) throw new DatabaseUnavailableError(`no database file at ${file}`)
    try {
      return new DatabaseSource(openDatabase(file), file)
    } catch (error) {
      throw new DatabaseUnavailableError(`cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }

  async historyPage(documentId: number, options: { fromSeq?: number | undefined; limit: number; groupMs: number; studySessionId?: number | undefined }): Promise<HistoryPage> {
    const page = historyPage(this.history, await this.contentDoc(documentId, options.studySessionId), options)
    return { ...page, authors: await this.authorNames(page.revisions.map((revision) => revision.userId)) }
  }

  async historyFile(documentId: number, options: { format: HistoryExportFormat; groupMs: number; studySessionId?: number | undefined }): Promise<string> {
    const file = docHistoryExport(this.history, await this.contentDoc(documentId, options.studySessionId), { ...options, mainText: documentContentDoc.text, label: (userId) => userId })
    return file.body
  }

  /** The research archive, telling each session as it is done. */
  async archive(target: ExportTarget, progress: (message: string) => void): Promise<Uint8Array> {
    return studyArchive(this.db, this.history, target, ({ done, total, what }) => progress(`${what} (${done} of ${total} sessions)`))
  }

  async content(documentId: number, query: { seq?: number | undefined; at?: string | undefined; format: ContentFormat }): Promise<ContentAt> {
    return contentAt(this.history, await this.contentDoc(documentId), query)
  }

  async authorship(documentId: number): Promise<Authorship> {
    const authorship = authorshipOf(this.history, await this.contentDoc(documentId))
    return { ...authorship, authors: await this.authorNames(authorship.spans.map((span) => span.userId)) }
  }

  async annotations(documentId: number, scope: AnnotationsExportScope | undefined): Promise<AnnotationsExport> {
    const read = (docName: string) => {
      const doc = this.history.stateAt(docName, this.history.lastSeq(docName))
      try {
        return annotationsEntries(doc)
      } finally {
        doc.destroy()
      }
    }
    return documentAnnotationsExport(this.db, documentId, read, databaseViewer, scope ?? 'all')
  }

  async annotationsCsv(documentId: number, scope: AnnotationsExportScope | undefined): Promise<string> {
    return annotationsCsv(await this.annotations(documentId, scope))
  }

  async close(): Promise<void> {
    this.db.$client.close()
  }

  /** The content doc of an existing document, or a study session's copy of it; NotFound as the server answers it. */
  private async contentDoc(documentId: number, studySessionId: number | null = null): Promise<string> {
    if (!(await findLiveDocument(this.db, documentId))) throw new NotFoundError(`document ${documentId} does not exist`)
    return documentDocName(documentId, studySessionId)
  }

}
