import { pino } from 'pino'
import type { Logger } from '../sync/index.js'
import type { LogLevel } from './config.js'

/** Field names whose values never reach a log line, at the top of the fields or one object down (`headers.authorization`). */
const secretFields = ['password', 'token', 'secret', 'authorization', 'cookie']
const redactedPaths = secretFields.flatMap((field) => [field, `*.${field}`])

const levelOrder: readonly LogLevel[] = ['debug', 'info', 'warn', 'error']

/** A second destination of the same lines, from its own level on (the `log` table). */
export interface LogDestination {
  level: LogLevel
  stream: { write(line: string): void }
}

/**
 * JSON lines on stderr at or above `level` (pino), one object a line: `level`, `time`, `event` and
 * the fields. Values under `redactedPaths` are written as "[redacted]", so a secret passed by
 * mistake stays out of the log.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void, also?: LogDestination): Logger {
  // Synchronous, so the last lines before an exit are written.
  const console = write ? { write } : pino.destination({ dest: 2, sync: true })
  const streams = [{ level, stream: console }, ...(also ? [also] : [])].filter((entry) => entry.level !== 'silent')
  const lowest = levelOrder.find((name) => streams.some((entry) => entry.level === name)) ?? 'silent'
  const log = pino(
    {
      level: lowest,
      messageKey: 'event',
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redactedPaths, censor: '[redacted]' },
    },
    streams.length > 1 ? pino.multistream(streams) : (streams[0]?.stream ?? console),
  )
  return {
    debug: (event, fields = {}) => log.debug(fields, event),
    info: (event, fields = {}) => log.info(fields, event),
    warn: (event, fields = {}) => log.warn(fields, event),
    error: (event, fields = {}) => log.error(fields, event),
  }
}
