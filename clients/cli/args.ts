import { parseArgs } from 'node:util'
import { z } from 'zod'
import { type AnnotationsExportScope, annotationsExportScopes, contentFormats } from '../../schema/inputs/history.js'
import { CliError, exitCodes } from './errors.js'

export const usage = `Usage: folio export <what> --doc <id> [options]
       folio export study <id> | project <id> [options]

  <what>               history | content | authorship | annotations
  study <id>           the research archive (zip) of a study: its sessions, timings, every
                       insert and delete, each session's documents (IDFX logs too) and annotations;
                       consenting participants only, pseudonyms when the study is anonymized
  project <id>         the same for every study of a project

Source, one of:
  --url <url>          a running server (e.g. http://127.0.0.1:1234), signing in with
    --user <name>      the account's name and
    --password <pw>    its password (better: set FOLIO_PASSWORD)
  --db <file>          the database file itself, for when the server is stopped;
                       exports everything (annotations: every user's, anonymous ones anonymised)

Options:
  --doc <id>           the document (required but for study and project)
  --session <id>       history: a study session's copy of the document
  --seq <n>            content: the document right after change n
  --at <ISO time>      content: the document as it was then (e.g. 2025-05-01T12:00:00Z)
  --format <f>         content: delta (default), text, html, json
                       history: json (default), jsonl (one revision per line),
                       csv (one revision per row), events (CSV, one row per insert or
                       delete), idfx (Inputlog's XML log)
                       annotations: json (default), csv
  --group-ms <ms>      history: one revision per user's consecutive changes less than ms apart
  --page-size <n>      history: changes fetched per page (default 1000, at most 10000)
  --scope <s>          annotations: visible (what the account sees in the app) or all
                       (every user's entries, drafts included; needs the export right)
  --out <file>         write to the file (replaced only once the export is complete); default stdout
  --quiet              no progress on stderr

Exit codes: 0 done, 1 unexpected error, 2 bad arguments, 3 sign-in failed,
4 access denied, 5 not found (document, seq, or history trimmed by retention),
6 server or database file unreachable, 7 output file not writable.
`

export type ExportKind = 'history' | 'content' | 'authorship' | 'annotations' | 'study' | 'project'

export type Source = { kind: 'http'; url: string; user: string; password: string } | { kind: 'db'; path: string }

export interface ExportRequest {
  what: ExportKind
  /** The document, or for study and project exports the study or project. */
  documentId: number
  studySessionId?: number
  source: Source
  out: string | null
  quiet: boolean
  format: string
  seq?: number
  at?: string
  groupMs: number
  pageSize: number
  scope?: AnnotationsExportScope
}

const formats: Record<ExportKind, readonly string[]> = {
  history: ['json', 'jsonl', 'csv', 'events', 'idfx'],
  content: contentFormats,
  authorship: ['json'],
  annotations: ['json', 'csv'],
  study: ['zip'],
  project: ['zip'],
}
/** Exports of a study or project name it as the argument after the kind, not with --doc. */
const archiveKinds: readonly ExportKind[] = ['study', 'project']
/** Options that only make sense for some exports. */
const onlyFor: Record<string, readonly ExportKind[]> = {
  seq: ['content'],
  at: ['content'],
  'group-ms': ['history'],
  'page-size': ['history'],
  scope: ['annotations'],
  session: ['history'],
  doc: ['history', 'content', 'authorship', 'annotations'],
}

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max)

/** The request `argv` asks for, or `'help'`. Throws CliError (exit 2) naming what is wrong. */
export function parseRequest(argv: readonly string[], env: Record<string, string | undefined>): ExportRequest | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        doc: { type: 'string' },
        session: { type: 'string' },
        seq: { type: 'string' },
        at: { type: 'string' },
        format: { type: 'string' },
        'group-ms': { type: 'string' },
        'page-size': { type: 'string' },
        scope: { type: 'string' },
        out: { type: 'string' },
        url: { type: 'string' },
        user: { type: 'string' },
        password: { type: 'string' },
        db: { type: 'string' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error))
  }
  const { values, positionals } = parsed
  if (values.help || positionals.length === 0 || positionals[0] === 'help') return 'help'
  const [command, what, ...rest] = positionals
  if (command !== 'export') throw usageError(`unknown command "${command}": the command is "export"`)
  if (!what || !(what in formats)) throw usageError(`export what? give one of ${Object.keys(formats).join(', ')}${what ? ` (not "${what}")` : ''}`)
  const kind = what as ExportKind
  const [archiveId, ...extra] = archiveKinds.includes(kind) ? rest : [undefined, ...rest]
  if (extra.length > 0) throw usageError(`unexpected argument "${extra[0]}"`)
  for (const [option, kinds] of Object.entries(onlyFor)) {
    if (values[option as keyof typeof values] !== undefined && !kinds.includes(kind)) throw usageError(`--${option} applies to ${kinds.join(', ')} exports, not ${kind}`)
  }

  const format = values.format ?? formats[kind][0]!
  if (!formats[kind].includes(format)) throw usageError(`--format for ${kind} is one of ${formats[kind].join(', ')} (not "${format}")`)
  if (values.seq !== undefined && values.at !== undefined) throw usageError('give --seq or --at, not both')
  if (values.scope !== undefined && !(annotationsExportScopes as readonly string[]).includes(values.scope)) throw usageError(`--scope is one of ${annotationsExportScopes.join(', ')}`)

  const request: ExportRequest = {
    what: kind,
    documentId: archiveKinds.includes(kind) ? archiveIdOf(kind, archiveId) : option('doc', values.doc, integer(1), 'a document id (a positive integer)', true)!,
    source: sourceOf(values, env),
    out: values.out ?? null,
    quiet: values.quiet ?? false,
    format,
    groupMs: option('group-ms', values['group-ms'], integer(0), 'milliseconds (an integer >= 0)') ?? 0,
    pageSize: option('page-size', values['page-size'], integer(1, 10_000), 'an integer from 1 to 10000') ?? 1000,
  }
  const seq = option('seq', values.seq, integer(0), 'a seq (an integer >= 0)')
  if (seq !== undefined) request.seq = seq
  const at = option('at', values.at, z.iso.datetime({ offset: true }), 'an ISO time such as 2025-05-01T12:00:00Z')
  if (at !== undefined) request.at = at
  if (values.scope !== undefined) request.scope = values.scope as AnnotationsExportScope
  const session = option('session', values.session, integer(1), 'a study session id (a positive integer)')
  if (session !== undefined) request.studySessionId = session
  return request
}

/** The study or project id of `folio export study <id>`. */
function archiveIdOf(kind: ExportKind, raw: string | undefined): number {
  const parsed = integer(1).safeParse(raw)
  if (!parsed.success) throw usageError(raw === undefined ? `which ${kind}? folio export ${kind} <id>` : `the ${kind} id must be a positive integer (not "${raw}")`)
  return parsed.data
}

function sourceOf(values: { url?: string | undefined; user?: string | undefined; password?: string | undefined; db?: string | undefined }, env: Record<string, string | undefined>): Source {
  if ((values.url === undefined) === (values.db === undefined)) throw usageError('give the source: --url <server> (with --user and a password) or --db <database file>, not both')
  if (values.db !== undefined) {
    if (values.user !== undefined || values.password !== undefined) throw usageError('--user and --password go with --url, not --db')
    return { kind: 'db', path: values.db }
  }
  const url = values.url!.replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(url)) throw usageError(`--url must be an http:// or https:// address (not "${values.url}")`)
  if (!values.user) throw usageError('--url needs --user <name>')
  const password = values.password ?? env.FOLIO_PASSWORD
  if (!password) throw usageError('--url needs a password: set FOLIO_PASSWORD (or give --password)')
  return { kind: 'http', url, user: values.user, password }
}

function option<T>(name: string, raw: string | undefined, schema: z.ZodType<T>, expected: string, required = false): T | undefined {
  if (raw === undefined) {
    if (required) throw usageError(`--${name} is required: ${expected}`)
    return undefined
  }
  const result = schema.safeParse(raw)
  if (!result.success) throw usageError(`--${name} must be ${expected} (not "${raw}")`)
  return result.data
}

function usageError(message: string): CliError {
  return new CliError(`${message}\nRun "folio --help" for the options.`, exitCodes.usage)
}
