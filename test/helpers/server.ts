import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type FolioServer, loadConfig, startServer } from '../../server/index.js'
import { adminPassword, login } from './accounts.js'
import { queryDb } from './rooms.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** A fresh temporary directory for one test's database, removed by the returned cleanup. */
export function tempDir(): { dir: string; dbPath: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'folio-test-'))
  return {
    dir,
    dbPath: join(dir, 'folio.db'),
    // Retried: a worker thread left behind on purpose may still be closing its SQLite files.
    remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 }),
  }
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
  /** Everything the process printed so far (stdout and stderr). */
  readonly output: string
  child: ChildProcessWithoutNullStreams
  /** Whether the child leads a process group of its own (`npm start` does): signals for the group go to `-child.pid`. */
  leadsGroup: boolean
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Spawns `server/main.ts` and waits until it prints its address. */
export function spawnServer(dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return untilListening(
    spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: repoRoot,
      env: { ...process.env, ...testEnv(dbPath, env) },
    }),
    false,
  )
}

/**
 * Runs `npm start` exactly as a user does, leading a process group of its own as a shell's job
 * would (so a terminal's Ctrl-C can be sent to the group), and waits until the server prints its address.
 */
export function spawnNpmStart(dbPath: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  return untilListening(spawn('npm', ['start'], { cwd: repoRoot, env: { ...process.env, ...testEnv(dbPath, env) }, detached: true }), true)
}

function untilListening(child: ChildProcessWithoutNullStreams, leadsGroup: boolean): Promise<ServerProcess> {
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  let output = ''
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) resolve({ url: match[1], get output() { return output }, child, leadsGroup, exited })
    })
    void exited.then(({ code }) => reject(new Error(`server exited with ${code} before listening:\n${output}`)))
  })
}

/**
 * The server processes of each test of a suite, on one temporary database per test, signed in as
 * admin. `cleanup`, after each test, kills whatever still runs (the whole process group of an
 * `npm start`) and removes the files.
 */
export class ServerProcesses {
  /** The admin's token; tokens live in the database, so one login serves every restart. */
  token = ''
  private readonly running: ServerProcess[] = []
  private dir: ReturnType<typeof tempDir> | null = null

  /** This test's database folder, made on first use. */
  get tmp(): ReturnType<typeof tempDir> {
    return (this.dir ??= tempDir())
  }

  /** A server process on this test's database (`spawnServer` or `spawnNpmStart`), signed in. */
  async start(env: Record<string, string> = {}, how: typeof spawnServer = spawnServer): Promise<ServerProcess> {
    const server = await how(this.tmp.dbPath, env)
    this.running.push(server)
    this.token ||= await login(server.url, 'admin', adminPassword)
    return server
  }

  async cleanup(): Promise<void> {
    for (const { child, leadsGroup, exited } of this.running.splice(0)) {
      // The group may outlive its leader: a server left behind by `npm start` is what the npm tests look for.
      if (leadsGroup) killGroup(child.pid!, 'SIGKILL')
      else child.kill('SIGKILL')
      await exited
    }
    this.dir?.remove()
    this.dir = null
    this.token = ''
  }
}

/** Sends `signal` to every process of the group `leader` leads, if any is left. */
export function killGroup(leader: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error
  }
}

/** The last seq in `docId`'s log and the last one a checkpoint covers (null when none), read from the database file. */
export function storedSeqs(dbPath: string, docId: string): { logged: number | null; checkpointed: number | null } {
  const [seqs] = queryDb(
    dbPath,
    'select (select max(seq) from doc_update where doc_id = ?) as logged, (select max(seq) from doc_checkpoint where doc_id = ?) as checkpointed',
    docId,
    docId,
  )
  return seqs as { logged: number | null; checkpointed: number | null }
}

/**
 * Whether a thread of process `pid` (only its main thread with `mainOnly`) sleeps in nanosleep, as
 * SQLite's busy handler does while it waits for a lock; Node's own threads wait in epoll or futexes.
 */
export function waitsForSqliteLock(pid: number, { mainOnly = false } = {}): boolean {
  const threads = mainOnly ? [String(pid)] : readdirSync(`/proc/${pid}/task`)
  return threads.some((thread) => {
    try {
      return readFileSync(`/proc/${pid}/task/${thread}/wchan`, 'utf8').includes('nanosleep')
    } catch {
      return false // the thread ended meanwhile
    }
  })
}
