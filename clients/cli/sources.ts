import type { AnnotationsExport, AnnotationsExportScope, Authorship, ContentAt, ContentFormat, HistoryExportFormat, HistoryPage } from '../../schema/index.js'
import { HttpApi } from '../HttpApi.js'
import { RpcError } from '../RpcError.js'
import { CliError, exitCodeForStatus, exitCodes } from './errors.js'

/** Where exports come from: a running server over HTTP, or the database file. Both answer the same data. */
export interface ExportSource {
  /** What the export is read as, for progress messages. */
  readonly description: string
  historyPage(documentId: number, options: HistoryPageOptions): Promise<HistoryPage>
  /** A document's whole history as one file: revisions as CSV, the event CSV or an IDFX log. */
  historyFile(documentId: number, options: { format: HistoryExportFormat; groupMs: number; studySessionId?: number | undefined }): Promise<string>
  /** The research archive (zip) of a study or project; `progress` hears how far it is. */
  archive(target: ArchiveTarget, progress: (message: string) => void): Promise<Uint8Array>
  content(documentId: number, query: { seq?: number | undefined; at?: string | undefined; format: ContentFormat }): Promise<ContentAt>
  authorship(documentId: number): Promise<Authorship>
  annotations(documentId: number, scope: AnnotationsExportScope | undefined): Promise<AnnotationsExport>
  annotationsCsv(documentId: number, scope: AnnotationsExportScope | undefined): Promise<string>
  close(): Promise<void>
}

export interface HistoryPageOptions {
  fromSeq?: number | undefined
  limit: number
  groupMs: number
  /** A study session's copy of the document. */
  studySessionId?: number | undefined
}

/** What a research archive holds: one study, or every study of a project. */
export interface ArchiveTarget {
  kind: 'study' | 'project'
  id: number
}

/** Signs in to `url` and reads the `/documents/:id/...` routes with the token; signs out on close. */
export class HttpSource implements ExportSource {
  private constructor(
    private readonly url: string,
    private readonly token: string,
    readonly description: string,
  ) {}

  static async signIn(url: string, userName: string, password: string): Promise<HttpSource> {
    try {
      const { token } = await new HttpApi(url, fetch, () => null).login(userName, password)
      return new HttpSource(url, token, `${url} as ${userName}`)
    } catch (error) {
      if (error instanceof RpcError && error.reason === 'network') throw new CliError(`cannot reach ${url}: ${error.message}`, exitCodes.unavailable)
      if (error instanceof RpcError) throw new CliError(`sign-in as "${userName}" failed: ${error.message}`, error.status === 400 ? exitCodes.authentication : exitCodeForStatus(error.status))
      throw error
    }
  }

  historyPage(documentId: number, options: HistoryPageOptions): Promise<HistoryPage> {
    return this.json(`/documents/${documentId}/history`, { fromSeq: options.fromSeq, limit: options.limit, groupMs: options.groupMs, studySessionId: options.studySessionId })
  }

  async historyFile(documentId: number, options: { format: HistoryExportFormat; groupMs: number; studySessionId?: number | undefined }): Promise<string> {
    const response = await this.get(`/documents/${documentId}/history/export`, options)
    if (response.ok && !(response.headers.get('content-type') ?? '').startsWith('application/json')) return response.text()
    return this.answer(response)
  }

  /** Downloads the archive, telling every megabyte received (the server builds it before it answers). */
  async archive(target: ArchiveTarget, progress: (message: string) => void): Promise<Uint8Array> {
    const response = await this.get(`/${target.kind === 'study' ? 'studies' : 'projects'}/${target.id}/export`, {})
    if (!response.ok || response.headers.get('content-type') !== 'application/zip' || !response.body) return this.answer(response)
    const chunks: Uint8Array[] = []
    let received = 0
    let told = 0
    for await (const chunk of response.body) {
      chunks.push(chunk)
      received += chunk.byteLength
      if (received - told >= 1_048_576) {
        progress(`received ${(received / 1_048_576).toFixed(1)} MB`)
        told = received
      }
    }
    progress(`received ${received} bytes`)
    return Buffer.concat(chunks)
  }

  content(documentId: number, query: { seq?: number | undefined; at?: string | undefined; format: ContentFormat }): Promise<ContentAt> {
    return this.json(`/documents/${documentId}/content`, query)
  }

  authorship(documentId: number): Promise<Authorship> {
    return this.json(`/documents/${documentId}/authorship`, {})
  }

  annotations(documentId: number, scope: AnnotationsExportScope | undefined): Promise<AnnotationsExport> {
    return this.json(`/documents/${documentId}/annotations/export`, { format: 'json', scope })
  }

  async annotationsCsv(documentId: number, scope: AnnotationsExportScope | undefined): Promise<string> {
    const response = await this.get(`/documents/${documentId}/annotations/export`, { format: 'csv', scope })
    if (response.ok && (response.headers.get('content-type') ?? '').startsWith('text/csv')) return response.text()
    return this.answer(response)
  }

  async close(): Promise<void> {
    // Best effort: the token expires anyway.
    await new HttpApi(this.url, fetch, () => this.token).logout().catch(() => {})
  }

  private async json<T>(path: string, query: Record<string, string | number | undefined>): Promise<T> {
    return this.answer(await this.get(path, query))
  }

  private async get(path: string, query: Record<string, string | number | undefined>): Promise<Response> {
    const search = new URLSearchParams(Object.entries(query).flatMap(([key, value]) => (value === undefined ? [] : [[key, String(value)]])))
    const target = `${this.url}${path}${search.size > 0 ? `?${search}` : ''}`
    try {
      return await fetch(target, { headers: { authorization: `Bearer ${this.token}`, accept: 'application/json' } })
    } catch (error) {
      throw new CliError(`cannot reach ${this.url}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.unavailable)
    }
  }

  private async answer<T>(response: Response): Promise<T> {
    let body: { success?: boolean; data?: unknown; message?: string }
    try {
      body = (await response.json()) as typeof body
    } catch {
      throw new CliError(`${response.url} answered HTTP ${response.status} without a JSON body`, exitCodeForStatus(response.status))
    }
    if (body.success === true) return body.data as T
    throw new CliError(body.message ?? `${response.url} answered HTTP ${response.status}`, exitCodeForStatus(response.status))
  }
}
