import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { DocAddress } from './wire.js'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))

/** Scratch space for databases; gitignored, removed at the end of a run. */
export const tmpRoot = join(repoRoot, 'bench', '.tmp')

/** A sync server running as a child process of the bench. */
export interface BenchServer {
  label: 'Folio' | 'reference' | 'Hocuspocus'
  pid: number
  /** Where a client of document `docName` connects. */
  address(docName: string): DocAddress
  /** Folio's database file; null for the in-memory peers, which persist nothing. */
  dbPath: string | null
  /** How the process ended, or null while it runs. */
  exitStatus(): string | null
  stop(): Promise<void>
}

/** Generous: on a shared 2-core machine under load a cold `tsx` start has taken 20 s. */
const startTimeoutMs = 60_000
/** How long a SIGTERM may take before the bench SIGKILLs the server, so that a hung shutdown cannot hang the run. */
const stopTimeoutMs = 15_000

/** Servers not yet stopped; killed if the bench exits early, so none outlives it. */
const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/**
 * `node --import tsx server/main.ts` on a free port, with its own database under bench/.tmp.
 * Folio refuses anonymous sync connections, so the bench signs in as the bootstrapped `admin`
 * (password chosen here) and every doc URL carries its token; bench doc names are scratch docs,
 * which signed-in users may write. `env` goes over the defaults (a bench's limits).
 */
export async function startFolio(dbPath: string, env: Record<string, string> = {}): Promise<BenchServer> {
  const adminPassword = randomBytes(18).toString('base64url')
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', FOLIO_DB: dbPath, FOLIO_LOG_LEVEL: 'warn', FOLIO_ADMIN_PASSWORD: adminPassword, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = exitOf(child)
  const match = await waitForLine(child, 'Folio', /Folio listening on (http:\/\/127\.0\.0\.1:(\d+))/)
  let token: string
  try {
    token = await signIn(match[1] as string, 'admin', adminPassword)
  } catch (error) {
    await stopChild('Folio', child, exited)
    throw error
  }
  const query = `?token=${encodeURIComponent(token)}`
  return serverOf(child, exited, 'Folio', (docName) => ({ url: `ws://127.0.0.1:${match[2]}/sync/${docName}${query}`, docName, dialect: 'y-websocket' }), dbPath)
}

/** The stock `@y/websocket-server`, started the same way (it cannot pick its own port, so we pick one). */
export async function startReference(): Promise<BenchServer> {
  const port = await freePort()
  const child = spawn(process.execPath, ['node_modules/@y/websocket-server/src/server.js'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = exitOf(child)
  await waitForLine(child, 'reference', /running at/)
  return serverOf(child, exited, 'reference', (docName) => ({ url: `ws://127.0.0.1:${port}/${docName}`, docName, dialect: 'y-websocket' }), null)
}

/** `@hocuspocus/server` with no extensions (bench/hocuspocusServer.ts): documents live in memory only. */
export async function startHocuspocus(): Promise<BenchServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hocuspocusServer.ts'], {
    cwd: repoRoot,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = exitOf(child)
  const match = await waitForLine(child, 'Hocuspocus', /Hocuspocus listening on port (\d+)/)
  // One socket carries any number of documents; the name travels in every frame.
  return serverOf(child, exited, 'Hocuspocus', (docName) => ({ url: `ws://127.0.0.1:${match[1]}`, docName, dialect: 'hocuspocus' }), null)
}

/** Resident set size of process `pid` in KB, from /proc (Linux only). */
export function rssKb(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`)
  return Number(match[1])
}

/** `POST /auth/login`; returns the login token. */
async function signIn(baseUrl: string, userName: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userName, password }),
  })
  const body = (await response.json().catch(() => null)) as { data?: { token?: unknown } } | null
  const token = body?.data?.token
  if (!response.ok || typeof token !== 'string') {
    throw new Error(`signing in to Folio as ${userName} failed: HTTP ${response.status} ${JSON.stringify(body)}`)
  }
  return token
}

function serverOf(
  child: ChildProcess,
  exited: Promise<void>,
  label: BenchServer['label'],
  address: (docName: string) => DocAddress,
  dbPath: string | null,
): BenchServer {
  const pid = child.pid
  if (pid === undefined) throw new Error(`${label} server has no pid`)
  const exitStatus = (): string | null => {
    if (child.signalCode !== null) return `killed by ${child.signalCode}`
    return child.exitCode === null ? null : `exited with code ${child.exitCode}`
  }
  return { label, pid, address, dbPath, exitStatus, stop: () => stopChild(label, child, exited) }
}

/** Listen right after spawning: a child that already exited never emits 'exit' again. */
function exitOf(child: ChildProcess): Promise<void> {
  running.add(child)
  return new Promise((resolve) =>
    child.once('exit', () => {
      running.delete(child)
      resolve()
    }),
  )
}

/** SIGTERM (Folio then stores everything and exits) and wait for the exit; SIGKILL if it does not come. */
async function stopChild(label: string, child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  child.kill('SIGTERM')
  const timer = setTimeout(() => {
    process.stderr.write(`[bench] ${label} server did not exit within ${stopTimeoutMs} ms of SIGTERM; killing it\n`)
    child.kill('SIGKILL')
  }, stopTimeoutMs)
  await exited
  clearTimeout(timer)
}

/** Resolves with the first stdout line matching `pattern`; rejects if the child exits or stays silent. */
function waitForLine(child: ChildProcess, label: string, pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${label} server did not start within ${startTimeoutMs} ms; stdout so far: ${JSON.stringify(output)}`))
    }, startTimeoutMs)
    const onExit = (code: number | null): void => {
      clearTimeout(timer)
      reject(new Error(`${label} server exited with code ${code} before listening; stdout: ${JSON.stringify(output)}`))
    }
    child.once('exit', onExit)
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      output += chunk
      const match = pattern.exec(output)
      if (!match) return
      clearTimeout(timer)
      child.off('exit', onExit)
      resolve(match)
    })
  })
}

/** A port that was free a moment ago; the reference binds it right after. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}
