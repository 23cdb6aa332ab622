import type { Logger } from '../sync/index.js'
import type { LogLevel } from './config.js'

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

/** JSON lines on stderr at or above `level`. Callers never pass secrets in fields. */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const at =
    (entryLevel: Exclude<LogLevel, 'silent'>) =>
    (event: string, fields: Record<string, unknown> = {}): void => {
      if (rank[entryLevel] < rank[level]) return
      write(`${JSON.stringify({ time: new Date().toISOString(), level: entryLevel, event, ...fields })}\n`)
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
