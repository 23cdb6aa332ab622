import type { ContentFormat, HistoryExportFormat } from '../../schema/inputs/history.js'
import { type ExportRequest, parseRequest, usage } from './args.js'
import { CliError, exitCodeForStatus, exitCodes } from './errors.js'
import { Output } from './Output.js'
import { type ExportSource, HttpSource } from './sources.js'

export interface CliIo {
  stderr: { write(text: string): unknown }
  env: Record<string, string | undefined>
}

/** Opens the database file for `--db`: handed in by the entry point, since it runs the server's code (`server/cli`). */
export type OpenDatabaseSource = (path: string) => ExportSource | Promise<ExportSource>

/**
 * `folio export <what> …`: history, content, authorship or annotations of a document, from a
 * server (signing in) or from the database file, to stdout or a file. Progress goes to stderr.
 * Returns the exit code.
 */
export async function main(argv: readonly string[], openDatabase: OpenDatabaseSource, io: CliIo = { stderr: process.stderr, env: process.env }): Promise<number> {
  try {
    const request = parseRequest(argv, io.env)
    if (request === 'help') {
      io.stderr.write(usage)
      return exitCodes.ok
    }
    await runExport(request, openDatabase, (message) => {
      if (!request.quiet) io.stderr.write(`folio: ${message}\n`)
    })
    return exitCodes.ok
  } catch (error) {
    const exitCode = error instanceof CliError ? error.exitCode : typeof (error as { status?: unknown })?.status === 'number' ? exitCodeForStatus((error as { status: number }).status) : exitCodes.unexpected
    const known = error instanceof CliError || exitCode !== exitCodes.unexpected
    const message = error instanceof Error ? (known ? error.message : (error.stack ?? error.message)) : String(error)
    io.stderr.write(`folio: ${known ? '' : 'unexpected error: '}${message}\n`)
    return exitCode
  }
}

async function runExport(request: ExportRequest, openDatabase: OpenDatabaseSource, progress: (message: string) => void): Promise<void> {
  const source: ExportSource =
    request.source.kind === 'http'
      ? await HttpSource.signIn(request.source.url, request.source.user, request.source.password)
      : await openDatabase(request.source.path)
  try {
    const output = request.out ? await Output.file(request.out) : Output.stdout()
    try {
      const subject = request.what === 'study' || request.what === 'project' ? `${request.what} ${request.documentId}` : `the ${request.what} of document ${request.documentId}`
      progress(`exporting ${subject} from ${source.description}`)
      await exporters[request.what](source, request, output, progress)
      await output.finish()
      if (output.path) progress(`wrote ${output.path}`)
    } catch (error) {
      output.abort()
      throw error
    }
  } finally {
    await source.close()
  }
}

type Exporter = (source: ExportSource, request: ExportRequest, output: Output, progress: (message: string) => void) => Promise<void>

const exporters: Record<ExportRequest['what'], Exporter> = {
  /** Page by page, streamed: `{documentId, completeFromSeq, lastSeq, groupMs, revisions: [...]}` or one revision per line. */
  async history(source, request, output, progress) {
    const { documentId, groupMs, pageSize, studySessionId } = request
    if (request.format !== 'json' && request.format !== 'jsonl') {
      const file = await source.historyFile(documentId, { format: request.format as HistoryExportFormat, groupMs, studySessionId })
      progress(`history as ${request.format}: ${Buffer.byteLength(file)} bytes`)
      await output.write(file)
      return
    }
    let fromSeq: number | undefined
    let count = 0
    for (;;) {
      const page = await source.historyPage(documentId, { fromSeq, limit: pageSize, groupMs, studySessionId })
      if (fromSeq === undefined) {
        if (page.completeFromSeq > 1) progress(`the log before seq ${page.completeFromSeq} was trimmed by retention: the history is complete from seq ${page.completeFromSeq}`)
        if (request.format === 'json') await output.write(`{"documentId":${documentId},"completeFromSeq":${page.completeFromSeq},"lastSeq":${page.lastSeq},"groupMs":${groupMs},"revisions":[`)
      }
      for (const revision of page.revisions) {
        await output.write(request.format === 'json' ? `${count > 0 ? ',' : ''}${JSON.stringify(revision)}` : `${JSON.stringify(revision)}\n`)
        count++
      }
      const reached = page.revisions.at(-1)?.toSeq ?? page.lastSeq
      progress(`history: seq ${reached} of ${page.lastSeq} (${count} revisions)`)
      if (page.nextSeq === null) break
      fromSeq = page.nextSeq
    }
    if (request.format === 'json') await output.write(']}\n')
  },

  /** The content itself: a Quill delta `{ops}`, text, HTML, or the Y.Doc as JSON. */
  async content(source, request, output, progress) {
    const answer = await source.content(request.documentId, { seq: request.seq, at: request.at, format: request.format as ContentFormat })
    progress(`content at seq ${answer.seq} (history complete from seq ${answer.completeFromSeq})`)
    const body =
      typeof answer.content === 'string' ? answer.content : `${JSON.stringify(answer.format === 'delta' ? { ops: answer.content } : answer.content)}\n`
    await output.write(body)
  },

  async authorship(source, request, output, progress) {
    const answer = await source.authorship(request.documentId)
    progress(`authorship of the text at seq ${answer.seq}: ${answer.spans.length} spans`)
    await output.write(`${JSON.stringify({ documentId: request.documentId, ...answer })}\n`)
  },

  /** The research archive, a zip: its progress comes from the source (sessions done, or bytes received). */
  async study(source, request, output, progress) {
    await output.write(await source.archive({ kind: 'study', id: request.documentId }, progress))
  },

  async project(source, request, output, progress) {
    await output.write(await source.archive({ kind: 'project', id: request.documentId }, progress))
  },

  async annotations(source, request, output, progress) {
    if (request.format === 'csv') {
      const csv = await source.annotationsCsv(request.documentId, request.scope)
      progress(`annotations as CSV: ${Buffer.byteLength(csv)} bytes`)
      await output.write(csv)
      return
    }
    const data = await source.annotations(request.documentId, request.scope)
    const comments = data.annotations.reduce((sum, annotation) => sum + annotation.comments.length, data.comments.length)
    progress(`annotations (${data.scope}): ${data.annotations.length} annotations, ${comments} comments`)
    await output.write(`${JSON.stringify(data)}\n`)
  },
}
