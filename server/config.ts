import { dirname, join, resolve } from 'node:path'
import { type AccessLevel, defaultSyncOptions, type SyncOptions } from '../sync/index.js'
import { type SynchronousMode } from '../schema/db/index.js'

/** Everything configurable, read once from the environment; every default works out of the box. */
export interface Config {
  host: string
  port: number
  dbPath: string
  dbSynchronous: SynchronousMode
  /** How often a worker thread copies the SQLite WAL back into the database. */
  walCheckpointMs: number
  /** Largest websocket frame accepted; bigger frames close the connection with 1009. */
  maxMessageBytes: number
  /** Interval of websocket pings; a client that has not answered the previous one is dropped. */
  heartbeatMs: number
  /**
   * How often open sockets are checked against the database for what changes by itself (a token
   * running out); logouts, role and right changes and document visibility are applied at once.
   */
  accessRecheckMs: number
  /** Most `subscribeAppData` subscriptions one events connection may hold. */
  maxSubscriptionsPerClient: number
  /** Most websockets one account may have open at once, over the sync, events and signaling endpoints together. */
  maxSocketsPerUser: number
  /** Most distinct documents one account may have open over sync at once: each one is a loaded Y.Doc held in memory. */
  maxDocsPerUser: number
  /** Most documents one `/mux` websocket may carry at once; past it a doc's channel is refused with 4429. */
  maxDocsPerMuxSocket: number
  /** Origins besides the server's own whose pages may call Folio with the user's cookie: CORS with credentials, websocket upgrades. */
  allowedOrigins: readonly string[]
  /** Days of update log kept as history; older records are trimmed at start and daily. 0 keeps everything. */
  logRetentionDays: number
  logLevel: LogLevel
  sync: SyncOptions
  auth: AuthConfig
  documents: DocumentsConfig
  rooms: RoomsConfig
  records: RecordsConfig
  nlp: NlpConfig
  moodle: MoodleConfig
}

/** Limits of the calls to Moodle's web services (the site and its token are admin settings, `rpc.moodleAPI.*`). */
export interface MoodleConfig {
  /** Longest wait for one web-service call's answer before it fails as a timeout. */
  requestTimeoutMs: number
  /** Longest one submission file's download may take. */
  downloadTimeoutMs: number
  /** Largest web-service answer read; a course's users or submissions list beyond it is refused. */
  maxResponseBytes: number
}

/** The NLP broker Folio is a client of (socket.io), and what it waits for. */
export interface NlpConfig {
  /** The broker's socket.io URL; null: no broker, only the fallback skills (if any) are offered. */
  url: string | null
  /** Sent to the broker as its socket.io `auth.token`; never sent to clients or logged. */
  token: string | null
  /** How long one attempt of a skill request waits for the broker's results. */
  requestTimeoutMs: number
  /** Attempts of a skill request before its caller gets a timeout error (1: no retry). */
  requestAttempts: number
  /** Wait between two attempts to reach the broker while it is down. */
  reconnectDelayMs: number
  /** Skill requests one events socket may have waiting for results at once; more are refused with 429. */
  maxPendingRequestsPerClient: number
  /** Folder of YAML skill definitions offered while the broker is unreachable, answered with their `output.example`; null: none. */
  fallbackDir: string | null
}

/** What is recorded in the database besides the documents: log lines and usage statistics, both stored in batches. */
export interface RecordsConfig {
  /** Log lines from this level on are stored in the `log` table too; `silent` stores none. */
  logTableLevel: LogLevel
  /** How long a log line waits at most before its batch is stored. */
  logFlushMs: number
  /** Statistics entries stored together once this many wait. */
  statsBatchSize: number
  /** How long a statistics entry waits at most before its batch is stored. */
  statsFlushMs: number
}

export interface RoomsConfig {
  /** Base of the pad URLs participants get (`<publicUrl>/auth_session?…`); null: the address the server listens on. */
  publicUrl: string | null
  /** Bytes of files (protocol PDFs) one room may hold; past it `generate_pdf` answers `storage_exceeded`. */
  storageQuotaBytes: number
  /** Largest signaling frame; commands are small JSON, so the limit is far below the sync endpoint's. */
  maxSignalingMessageBytes: number
  /** Commands one signaling connection may send per second, in bursts of twice that; more answer `rate_limit_exceeded`. */
  signalingCommandsPerSecond: number
  /** How long after a signaling socket closes its participation can be resumed with the `resumption` token of `join_success`. */
  resumeWindowMs: number
  /** Longest a protocol PDF may take to render before `generate_pdf` gives up with `internal_storage`. */
  pdfTimeoutMs: number
}

export interface DocumentsConfig {
  /** Directory of the file store: uploaded files named by the SHA-256 of their bytes. */
  filesDir: string
  /** Largest file `documentAdd` accepts, in bytes (before base64). */
  maxUploadBytes: number
  /** Most entries an uploaded zip may have. */
  maxZipEntries: number
  /** Most bytes an uploaded zip's entries may unpack to together (a zip bomb is refused before it is stored). */
  maxZipUnpackedBytes: number
  /** Most highlights and notes one uploaded PDF may bring in as annotations. */
  maxImportedAnnotations: number
}

export interface AuthConfig {
  /** Password of the `admin` account created at first start; when unset one is generated and printed once. */
  adminPassword: string | null
  tokenLifetimeMs: number
  /** Set the cookie's Secure flag (serve over HTTPS). */
  secureCookie: boolean
  maxFailuresPerAccount: number
  maxFailuresPerAddress: number
  failureWindowMs: number
  /** Registrations per client address per window: each one costs an scrypt hash. */
  maxRegistrationsPerAddress: number
  registrationWindowMs: number
  /** Password reset and verification mail requests per client address per window (each account also waits between two mails, as its settings say). */
  maxAccountMailsPerAddress: number
  accountMailWindowMs: number
  /** Longest wait on the SMTP server (connecting, its greeting, each answer) before an account mail fails. */
  mailTimeoutMs: number
  /** What signed-in users may do on documents outside the typed namespaces (`document:`, `annotations:`, `pad:`). */
  scratchDocAccess: AccessLevel | null
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

/** A configuration variable holds a value Folio cannot use. */
export class ConfigError extends Error {
  constructor(variable: string, value: string, expected: string) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`)
    this.name = 'ConfigError'
  }
}

type Env = Record<string, string | undefined>

/** Reads the configuration from `env` (default: the process environment). Throws ConfigError. */
export function loadConfig(env: Env = process.env): Config {
  const read = reader(env)
  const dbPath = resolve(read.string('FOLIO_DB', './data/folio.db'))
  return {
    host: read.string('HOST', '127.0.0.1'),
    port: read.integer('PORT', 1234, 0),
    dbPath,
    dbSynchronous: read.oneOf('FOLIO_DB_SYNCHRONOUS', ['NORMAL', 'FULL', 'OFF'] as const, 'NORMAL'),
    walCheckpointMs: read.integer('FOLIO_WAL_CHECKPOINT_MS', 1_000, 10),
    maxMessageBytes: read.integer('FOLIO_MAX_MESSAGE_BYTES', 16 << 20, 1024),
    heartbeatMs: read.integer('FOLIO_HEARTBEAT_MS', 30_000, 100),
    accessRecheckMs: read.integer('FOLIO_ACCESS_RECHECK_SECONDS', 30, 1) * 1000,
    maxSubscriptionsPerClient: read.integer('FOLIO_MAX_SUBSCRIPTIONS_PER_CLIENT', 200, 1),
    // A tab holds one events socket and a few docs (a document, its annotations, a pad): a dozen tabs fit.
    maxSocketsPerUser: read.integer('FOLIO_MAX_SOCKETS_PER_USER', 128, 1),
    maxDocsPerUser: read.integer('FOLIO_MAX_DOCS_PER_USER', 64, 1),
    maxDocsPerMuxSocket: read.integer('FOLIO_MAX_DOCS_PER_MUX_SOCKET', 256, 1),
    allowedOrigins: read.origins('FOLIO_ALLOWED_ORIGINS'),
    logRetentionDays: read.integer('FOLIO_LOG_RETENTION_DAYS', 0, 0),
    logLevel: read.oneOf('FOLIO_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'warn'),
    sync: {
      gc: read.oneOf('FOLIO_GC', ['true', 'false'] as const, 'true') === 'true',
      unloadGraceMs: read.integer('FOLIO_UNLOAD_GRACE_MS', 10_000, 0),
      checkpointEveryUpdates: read.integer('FOLIO_CHECKPOINT_EVERY_UPDATES', 500, 1),
      checkpointEveryBytes: read.integer('FOLIO_CHECKPOINT_EVERY_BYTES', 1 << 20, 1),
      maxBufferedBytes: read.integer('FOLIO_MAX_BUFFERED_BYTES', 16 << 20, 1024),
      maxStructsPerTurn: read.integer('FOLIO_MAX_STRUCTS_PER_TURN', defaultSyncOptions.maxStructsPerTurn, 1),
      maxTurnMs: read.integer('FOLIO_MAX_TURN_MS', defaultSyncOptions.maxTurnMs, 1),
      maxUpdateStructs: read.integer('FOLIO_MAX_UPDATE_STRUCTS', defaultSyncOptions.maxUpdateStructs, 1),
      maxStructsPerSecond: read.integer('FOLIO_MAX_STRUCTS_PER_SECOND', defaultSyncOptions.maxStructsPerSecond, 1),
      maxBytesPerSecond: read.integer('FOLIO_MAX_BYTES_PER_SECOND', defaultSyncOptions.maxBytesPerSecond, 1024),
      shutdownWaitMs: read.integer('FOLIO_SHUTDOWN_WAIT_MS', defaultSyncOptions.shutdownWaitMs, 0),
      // A claimed typing time this far past the server's clock (or before its session began) is moved onto the bound; further, ignored.
      maxClockSkewMs: read.integer('FOLIO_MAX_CLOCK_SKEW_MS', defaultSyncOptions.maxClockSkewMs, 0),
    },
    auth: {
      adminPassword: read.optional('FOLIO_ADMIN_PASSWORD') ?? null,
      tokenLifetimeMs: read.integer('FOLIO_TOKEN_TTL_SECONDS', 24 * 3600, 1) * 1000,
      secureCookie: read.oneOf('FOLIO_SECURE_COOKIE', ['true', 'false'] as const, 'false') === 'true',
      maxFailuresPerAccount: read.integer('FOLIO_LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1),
      maxFailuresPerAddress: read.integer('FOLIO_LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1),
      failureWindowMs: read.integer('FOLIO_LOGIN_WINDOW_SECONDS', 15 * 60, 1) * 1000,
      // Roomy enough for a classroom signing up behind one address at the start of a lesson.
      maxRegistrationsPerAddress: read.integer('FOLIO_REGISTER_MAX_PER_ADDRESS', 50, 1),
      registrationWindowMs: read.integer('FOLIO_REGISTER_WINDOW_SECONDS', 15 * 60, 1) * 1000,
      maxAccountMailsPerAddress: read.integer('FOLIO_ACCOUNT_MAILS_PER_ADDRESS', 20, 1),
      accountMailWindowMs: read.integer('FOLIO_ACCOUNT_MAIL_WINDOW_SECONDS', 15 * 60, 1) * 1000,
      mailTimeoutMs: read.integer('FOLIO_MAIL_TIMEOUT_SECONDS', 30, 1) * 1000,
      scratchDocAccess: accessOrNull(read.oneOf('FOLIO_SCRATCH_DOC_ACCESS', ['write', 'read', 'none'] as const, 'write')),
    },
    documents: {
      // Next to the database by default, so one directory holds all of an installation's data.
      filesDir: resolve(read.string('FOLIO_FILES_DIR', join(dirname(dbPath), 'files'))),
      maxUploadBytes: read.integer('FOLIO_MAX_UPLOAD_BYTES', 10 << 20, 1),
      maxZipEntries: read.integer('FOLIO_MAX_ZIP_ENTRIES', 1000, 1),
      maxZipUnpackedBytes: read.integer('FOLIO_MAX_ZIP_UNPACKED_BYTES', 100 << 20, 1),
      maxImportedAnnotations: read.integer('FOLIO_MAX_IMPORTED_ANNOTATIONS', 2000, 1),
    },
    rooms: {
      publicUrl: read.url('FOLIO_PUBLIC_URL'),
      storageQuotaBytes: read.integer('FOLIO_ROOM_STORAGE_QUOTA_BYTES', 100 << 20, 0),
      maxSignalingMessageBytes: read.integer('FOLIO_MAX_SIGNALING_MESSAGE_BYTES', 64 << 10, 1024),
      pdfTimeoutMs: read.integer('FOLIO_PDF_TIMEOUT_MS', 30_000, 100),
      signalingCommandsPerSecond: read.integer('FOLIO_SIGNALING_COMMANDS_PER_SECOND', 20, 1),
      resumeWindowMs: read.integer('FOLIO_ROOM_RESUME_SECONDS', 120, 0) * 1000,
    },
    records: {
      logTableLevel: read.oneOf('FOLIO_LOG_TABLE_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'warn'),
      logFlushMs: read.integer('FOLIO_LOG_TABLE_FLUSH_MS', 1000, 1),
      statsBatchSize: read.integer('FOLIO_STATS_BATCH_SIZE', 100, 1),
      statsFlushMs: read.integer('FOLIO_STATS_FLUSH_MS', 5000, 1),
    },
    nlp: {
      url: read.url('FOLIO_NLP_URL'),
      token: read.optional('FOLIO_NLP_TOKEN') ?? null,
      requestTimeoutMs: read.integer('FOLIO_NLP_TIMEOUT_MS', 30_000, 10),
      requestAttempts: read.integer('FOLIO_NLP_ATTEMPTS', 2, 1),
      reconnectDelayMs: read.integer('FOLIO_NLP_RECONNECT_MS', 10_000, 10),
      maxPendingRequestsPerClient: read.integer('FOLIO_NLP_MAX_PENDING_PER_CLIENT', 20, 1),
      fallbackDir: optionalPath(read.optional('FOLIO_NLP_FALLBACK_DIR')),
    },
    moodle: {
      requestTimeoutMs: read.integer('FOLIO_MOODLE_TIMEOUT_MS', 30_000, 100),
      downloadTimeoutMs: read.integer('FOLIO_MOODLE_DOWNLOAD_TIMEOUT_MS', 120_000, 100),
      maxResponseBytes: read.integer('FOLIO_MOODLE_MAX_RESPONSE_BYTES', 32 << 20, 1024),
    },
  }
}

function optionalPath(path: string | undefined): string | null {
  return path === undefined ? null : resolve(path)
}

function accessOrNull(level: AccessLevel | 'none'): AccessLevel | null {
  return level === 'none' ? null : level
}

/** `text` as an http(s) origin (`https://host[:port]`, lower case, default port dropped), or null when it is not one. */
function originOf(text: string): string | null {
  if (!URL.canParse(text)) return null
  const url = new URL(text)
  const bare = /^https?:$/.test(url.protocol) && url.pathname === '/' && url.search === '' && url.hash === '' && url.username === '' && url.password === ''
  return bare ? url.origin : null
}

function reader(env: Env) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === '' ? undefined : value
  }
  return {
    string: (name: string, fallback: string): string => raw(name) ?? fallback,
    optional: (name: string): string | undefined => raw(name),
    /** An http(s) URL without a trailing slash, or null when unset. */
    url(name: string): string | null {
      const value = raw(name)
      if (value === undefined) return null
      if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new ConfigError(name, value, 'an http:// or https:// URL')
      return value.replace(/\/+$/, '')
    },
    /** A comma-separated list of origins (`scheme://host[:port]`, no path), normalized as browsers send them in `Origin`. */
    origins(name: string): string[] {
      const value = raw(name)
      if (value === undefined) return []
      const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
      return entries.map((entry) => {
        const origin = originOf(entry)
        if (origin === null) throw new ConfigError(name, value, 'comma-separated origins like https://editor.example.org (scheme, host and port only)')
        return origin
      })
    },
    integer(name: string, fallback: number, min: number): number {
      const value = raw(name)
      if (value === undefined) return fallback
      const parsed = Number(value)
      if (!Number.isSafeInteger(parsed) || parsed < min) throw new ConfigError(name, value, `an integer >= ${min}`)
      return parsed
    },
    oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
      const value = raw(name)
      if (value === undefined) return fallback
      if (!(allowed as readonly string[]).includes(value)) throw new ConfigError(name, value, `one of ${allowed.join(', ')}`)
      return value as T
    },
  }
}
