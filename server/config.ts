import { resolve } from 'node:path'
import type { AccessLevel, SynchronousMode, SyncOptions } from '../sync/index.js'

/** Everything configurable, read once from the environment; every default works out of the box. */
export interface Config {
  host: string
  port: number
  dbPath: string
  dbSynchronous: SynchronousMode
  /** Largest websocket frame accepted; bigger frames close the connection with 1009. */
  maxMessageBytes: number
  /** Interval of websocket pings; a client that has not answered the previous one is dropped. */
  heartbeatMs: number
  logLevel: LogLevel
  sync: SyncOptions
  devAccess: DevAccessPolicy
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

/** The development access policy: named tokens with a level, and what a connection without a token gets. */
export interface DevAccessPolicy {
  tokens: ReadonlyMap<string, AccessLevel>
  anonymous: AccessLevel | null
}

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
  return {
    host: read.string('HOST', '127.0.0.1'),
    port: read.integer('PORT', 1234, 0),
    dbPath: resolve(read.string('FOLIO_DB', './data/folio.db')),
    dbSynchronous: read.oneOf('FOLIO_DB_SYNCHRONOUS', ['NORMAL', 'FULL', 'OFF'] as const, 'NORMAL'),
    maxMessageBytes: read.integer('FOLIO_MAX_MESSAGE_BYTES', 16 << 20, 1024),
    heartbeatMs: read.integer('FOLIO_HEARTBEAT_MS', 30_000, 100),
    logLevel: read.oneOf('FOLIO_LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'warn'),
    sync: {
      gc: read.oneOf('FOLIO_GC', ['true', 'false'] as const, 'true') === 'true',
      unloadGraceMs: read.integer('FOLIO_UNLOAD_GRACE_MS', 10_000, 0),
      checkpointEveryUpdates: read.integer('FOLIO_CHECKPOINT_EVERY_UPDATES', 500, 1),
      checkpointEveryBytes: read.integer('FOLIO_CHECKPOINT_EVERY_BYTES', 1 << 20, 1),
      maxBufferedBytes: read.integer('FOLIO_MAX_BUFFERED_BYTES', 16 << 20, 1024),
      persistRetryMs: read.integer('FOLIO_PERSIST_RETRY_MS', 1_000, 1),
    },
    devAccess: {
      tokens: read.devTokens('FOLIO_DEV_TOKENS'),
      anonymous: accessOrNull(read.oneOf('FOLIO_ANONYMOUS_ACCESS', ['write', 'read', 'none'] as const, 'write')),
    },
  }
}

function accessOrNull(level: AccessLevel | 'none'): AccessLevel | null {
  return level === 'none' ? null : level
}

function reader(env: Env) {
  const raw = (name: string): string | undefined => {
    const value = env[name]?.trim()
    return value === '' ? undefined : value
  }
  return {
    string: (name: string, fallback: string): string => raw(name) ?? fallback,
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
    /** `token=write,other=read`. */
    devTokens(name: string): Map<string, AccessLevel> {
      const tokens = new Map<string, AccessLevel>()
      const value = raw(name)
      if (value === undefined) return tokens
      for (const pair of value.split(',')) {
        const [token, level] = pair.split('=').map((part) => part.trim())
        if (!token || (level !== 'write' && level !== 'read')) throw new ConfigError(name, value, 'a list like "alice=write,bob=read"')
        tokens.set(token, level)
      }
      return tokens
    },
  }
}
