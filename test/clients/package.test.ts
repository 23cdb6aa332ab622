import { execFile, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'
import { freePort } from './ports.js'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))
const clientsDir = join(repoRoot, 'clients')

/** Runs `node <script>` in `cwd` and resolves with its output once it exits 0. */
function node(cwd: string, script: string, args: string[], env: Record<string, string>): { output: () => string; done: Promise<string> } {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: { ...process.env, ...env } })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const done = new Promise<string>((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${script} exited with ${code}:\n${output}`)))),
  )
  return { output: () => output, done }
}

async function until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('the SDK as an npm package', () => {
  const tmp = tempDir()
  const app = join(tmp.dir, 'app')
  let server: FolioServer | null = null
  let port = 0
  const startServer = async () => (server = await startTestServer(tmp.dbPath, { PORT: String(port) }))

  beforeAll(async () => {
    port = await freePort()
    await startServer()
    // `npm pack` builds dist/ (prepack) and packs what `files` lists.
    const { stdout } = await run('npm', ['pack', '--pack-destination', tmp.dir, '--silent'], { cwd: clientsDir })
    const tarball = join(tmp.dir, stdout.trim().split('\n').at(-1)!)
    mkdirSync(app)
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'empty-app', private: true, type: 'module' }))
    // The registry is the only network here; packages npm has cached are taken from the cache.
    await run('npm', ['install', tarball, 'yjs@13', 'ws@8', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app })
    // better-sqlite3 is native: its prebuilt binary comes from GitHub, out of reach here, so the
    // repo's built copy is linked in, as an app would have its own.
    symlinkSync(join(repoRoot, 'node_modules', 'better-sqlite3'), join(app, 'node_modules', 'better-sqlite3'), 'dir')
  }, 180_000)

  afterAll(async () => {
    await server?.close()
    tmp.remove()
  })

  it('ships ES modules with declarations, and the README shows the example it ships', () => {
    const installed = join(app, 'node_modules', 'folio-sync-client')
    const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> }
    for (const entry of Object.values(manifest.exports)) {
      for (const file of Object.values(entry)) readFileSync(join(installed, file))
    }
    expect(readdirSync(join(installed, 'dist', 'clients'))).toEqual(expect.arrayContaining(['index.js', 'index.d.ts', 'node.js', 'node.d.ts']))
    const example = readFileSync(join(installed, 'examples', 'offline-shell.mjs'), 'utf8')
    expect(readFileSync(join(clientsDir, 'README.md'), 'utf8')).toContain(example)
  })

  it("runs the README's example: a Node shell that edits online, then offline, and syncs once the server is back", async () => {
    copyFileSync(join(app, 'node_modules', 'folio-sync-client', 'examples', 'offline-shell.mjs'), join(app, 'offline-shell.mjs'))
    const env = { FOLIO_URL: server!.url, FOLIO_REPLICAS: join(app, 'replicas.db') }
    const online = await node(app, 'offline-shell.mjs', ['first '], { ...env, FOLIO_PASSWORD: adminPassword }).done
    expect(online).toContain('on the server: "first "')

    const token = await login(server!.url, 'admin', adminPassword)
    await server!.close()
    server = null
    const offline = node(app, 'offline-shell.mjs', ['second'], { ...env, FOLIO_TOKEN: token })
    await until('the offline start', () => offline.output().includes('last state: "first ", 0 edits not on the server yet'))
    await startServer()
    // The shell exits by itself once its edit is on the server (a process left running would mean a handle left open).
    const synced = await Promise.race([offline.done, new Promise<string>((resolve) => setTimeout(() => resolve(`still running after 20 s:\n${offline.output()}`), 20_000))])
    expect(synced).toContain('on the server: "first second"')
  }, 60_000)

  it("runs the README's y-websocket snippet on Node 20", async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
    const snippet = /connect a stock y-websocket client:\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(snippet).toBeDefined()
    const script = [
      'const password = process.env.FOLIO_PASSWORD',
      snippet!.replaceAll('http://127.0.0.1:1234', server!.url).replaceAll('ws://127.0.0.1:1234', server!.url.replace(/^http/, 'ws')),
      "provider.on('sync', (synced) => { if (synced) { console.log('synced'); provider.destroy(); process.exit(0) } })",
    ].join('\n')
    writeFileSync(join(app, 'snippet.mjs'), script)
    expect(await node(app, 'snippet.mjs', [], { FOLIO_PASSWORD: adminPassword }).done).toContain('synced')
  }, 30_000)
})
