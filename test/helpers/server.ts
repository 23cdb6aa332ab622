import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FolioServer, loadConfig, startServer } from '../../server/index.js'
import { adminPassword } from './accounts.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** A fresh temporary directory for one test's database, removed by the returned cleanup. */
export function tempDir(): { dir: string; dbPath: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'folio-test-'))
  return { dir, dbPath: join(dir, 'folio.db'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Environment for a test server: loopback, a free port, quiet logs, the given database. */
export function testEnv(dbPath: string, env: Record<string, string> = {}): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    FOLIO_DB: dbPath,
    FOLIO_LOG_LEVEL: 'silent',
    FOLIO_UNLOAD_GRACE_MS: '50',
    FOLIO_ADMIN_PASSWORD: adminPassword,
    ...env,
  }
}

/** Starts a real server in this process. */
export function startTestServer(dbPath: string, env: Record<string, string> = {}): Promise<FolioServer> {
  return startServer(loadConfig(testEnv(dbPath, env)))
}

/** Runs `use` against a server of its own (a fresh database, `env` over the test defaults), then stops it and removes its files. */
export async function withServer<T>(env: Record<string, string>, use: (server: FolioServer, dbPath: string) => Promise<T>): Promise<T> {
  const dir = tempDir()
  const server = await startTestServer(dir.dbPath, env)
  try {
    return await use(server, dir.dbPath)
  } finally {
    await server.close()
    dir.remove()
  }
}

/** `ws://…/sync`, the serverUrl a y-websocket provider takes. */
export function syncUrl(server: { url: string }): string {
  return `${server.url.replace(/^http/, 'ws')}/sync`
}

/** A server running as `npm start` does, in a child process, so it can be killed for real. */
export interface ServerProcess {
  url: string
  /** Everything the process printed until it was listening. */
  output: string
  child: ChildProcessWithoutNullStreams
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Spawns `server/main.ts` and waits until it prints its address. */
export function spawnServer(dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, ...testEnv(dbPath, env) },
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) resolve({ url: match[1], output, child, exited })
    })
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening:\n${output}`)))
  })
}
