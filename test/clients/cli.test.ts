import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, type Answer, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI as `npx folio-sync` runs it (the package's bin), in a child process. */
function folio(args: string[], env: Record<string, string> = {}, command: 'node' | 'npx' = 'node'): Promise<Run> {
  const [file, prefix] = command === 'npx' ? ['npx', ['folio-sync']] : [process.execPath, ['clients/cli/bin.mjs']]
  const child = spawn(file, [...prefix, ...args], { cwd: repoRoot, env: { ...process.env, FOLIO_PASSWORD: '', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

type HistoryExport = { documentId: number; completeFromSeq: number; lastSeq: number; groupMs: number; revisions: { fromSeq: number; toSeq: number; userId: string; delta: unknown[] }[] }

describe('folio export (CLI)', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let alice: { token: string; userId: number }
  let documentId: number
  let privateDocument: number
  /** Text after each seq, 1-based. */
  const textAfter: string[] = []
  const outputs: Record<string, string> = {}
  const http = () => ['--url', server.url, '--user', 'alice']
  const asAlice = { FOLIO_PASSWORD: 'alice-password' }

  const ok = async <T = unknown>(event: string, data: unknown, token: string): Promise<T> => {
    const { body } = await rpc<T>(server.url, event, data, token)
    if (!body.success) throw new Error(`${event} failed: ${body.message}`)
    return body.data
  }
  const get = async <T>(path: string, token: string): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })
    const body = (await response.json()) as Answer<T>
    if (!body.success) throw new Error(`GET ${path}: ${body.message}`)
    return body.data
  }

  beforeAll(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    const admin = await login(server.url, 'admin', adminPassword)
    alice = await registerAndLogin(server.url, 'alice')
    const bob = await registerAndLogin(server.url, 'bob')
    documentId = (await ok<{ id: number }>('documentCreate', { name: 'Essay' }, alice.token)).id
    privateDocument = (await ok<{ id: number }>('documentCreate', { name: 'Diary' }, bob.token)).id
    // Seven changes by Alice and the admin, one stored update each.
    const edits: [string, { ops: unknown[] }][] = [
      [alice.token, { ops: [{ insert: 'Reading ' }] }],
      [alice.token, { ops: [{ retain: 8 }, { insert: 'and writing' }] }],
      [admin, { ops: [{ retain: 8 }, { insert: 'slowly ' }] }],
      [alice.token, { ops: [{ retain: 7 }, { retain: 7, attributes: { bold: true } }] }],
      [admin, { ops: [{ retain: 26 }, { insert: '.\n' }] }],
      [alice.token, { ops: [{ delete: 8 }, { insert: 'Thinking ' }] }],
      [admin, { ops: [{ retain: 28 }, { insert: 'Done.' }] }],
    ]
    for (const [token, delta] of edits) {
      await ok('documentEdit', { documentId, delta }, token)
      textAfter.push((await get<{ content: string }>(`/documents/${documentId}/content?format=text`, alice.token)).content)
    }
    await ok('annotationUpdate', { documentId, draft: false, selectors: { target: [{ selector: [{ type: 'TextQuoteSelector', exact: 'Thinking' }] }] } }, alice.token)
    await ok('annotationUpdate', { documentId, selectors: { target: [{ selector: [{ type: 'TextQuoteSelector', exact: 'Done' }] }] } }, admin)
  })
  afterAll(async () => {
    await server.close()
    tmp.remove()
  })

  it('exports the whole history page by page over HTTP, with progress on stderr', async () => {
    const run = await folio(['export', 'history', '--doc', String(documentId), '--page-size', '2', ...http()], asAlice)
    expect(run.stderr).not.toMatch(/error/)
    expect(run.code).toBe(0)
    const exported = JSON.parse(run.stdout) as HistoryExport
    const served = await get<{ revisions: unknown[] }>(`/documents/${documentId}/history?limit=10000`, alice.token)
    expect(exported).toEqual({ documentId, completeFromSeq: 1, lastSeq: 7, groupMs: 0, revisions: served.revisions })
    expect(exported.revisions.map((r) => r.fromSeq)).toEqual([1, 2, 3, 4, 5, 6, 7])
    // One progress line per page of two.
    expect(run.stderr.match(/^folio: history: seq \d+ of 7/gm)).toEqual(['folio: history: seq 2 of 7', 'folio: history: seq 4 of 7', 'folio: history: seq 6 of 7', 'folio: history: seq 7 of 7'])
    outputs.history = run.stdout

    const lines = await folio(['export', 'history', '--doc', String(documentId), '--format', 'jsonl', '--group-ms', '60000', '--quiet', ...http()], asAlice)
    expect(lines.code).toBe(0)
    expect(lines.stderr).toBe('')
    // Consecutive changes of one user within a minute form one revision.
    expect(lines.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { fromSeq: number; toSeq: number }).fromSeq)).toEqual([1, 3, 4, 5, 6, 7])
  })

  it('exports content at a seq or time, authorship and annotations, to a file or stdout', async () => {
    const out = join(tmp.dir, 'at-2.txt')
    const content = await folio(['export', 'content', '--doc', String(documentId), '--seq', '2', '--format', 'text', '--out', out, ...http(), '--password', 'alice-password'])
    expect(content.code).toBe(0)
    expect(content.stdout).toBe('')
    expect(readFileSync(out, 'utf8')).toBe('Reading and writing')
    expect(textAfter[1]).toBe('Reading and writing')
    expect(content.stderr).toContain(`folio: wrote ${out}`)
    // Nothing is left beside the file.
    expect(readdirSync(tmp.dir).filter((name) => name.includes('partial'))).toEqual([])

    const now = await folio(['export', 'content', '--doc', String(documentId), '--at', new Date(Date.now() + 60_000).toISOString(), ...http()], asAlice)
    expect(now.code).toBe(0)
    expect(JSON.parse(now.stdout)).toEqual({ ops: await get<{ content: unknown[] }>(`/documents/${documentId}/content`, alice.token).then((c) => c.content) })
    outputs.content = now.stdout

    const authorship = await folio(['export', 'authorship', '--doc', String(documentId), ...http()], asAlice)
    expect(authorship.code).toBe(0)
    const spans = JSON.parse(authorship.stdout) as { seq: number; spans: { userId: string }[] }
    expect(spans).toEqual({ documentId, ...(await get<object>(`/documents/${documentId}/authorship`, alice.token)) })
    expect(new Set(spans.spans.map((s) => s.userId))).toEqual(new Set([String(alice.userId), '1']))
    outputs.authorship = authorship.stdout

    const csv = await folio(['export', 'annotations', '--doc', String(documentId), '--format', 'csv', ...http()], asAlice)
    expect(csv.code).toBe(0)
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^kind,id,documentId,annotationId,/)
    // Alice sees her annotation and its draft comment, not the admin's draft annotation.
    expect(csv.stdout.split('\r\n').filter((line) => line.startsWith('annotation,'))).toHaveLength(1)
  })

  it('fails with a clear message and an exit code that says why', async () => {
    const doc = ['--doc', String(documentId)]
    const cases: [string[], Record<string, string>, number, RegExp][] = [
      [['export', 'history', ...http()], asAlice, 2, /--doc is required/],
      [['export', 'history', ...doc, '--seq', '3', ...http()], asAlice, 2, /--seq applies to content exports, not history/],
      [['export', 'content', ...doc, '--format', 'pdf', ...http()], asAlice, 2, /--format for content is one of delta, text, html, json/],
      [['export', 'content', ...doc, '--url', server.url], asAlice, 2, /--url needs --user/],
      [['export', 'content', ...doc, ...http()], {}, 2, /needs a password: set FOLIO_PASSWORD/],
      [['export', 'content', ...doc, ...http(), '--db', 'x.db'], asAlice, 2, /not both/],
      [['export', 'content', ...doc, ...http()], { FOLIO_PASSWORD: 'wrong' }, 3, /sign-in as "alice" failed: wrong user name or password/],
      [['export', 'content', '--doc', String(privateDocument), ...http()], asAlice, 4, new RegExp(`no access to document ${privateDocument}`)],
      [['export', 'content', ...doc, '--seq', '99', ...http()], asAlice, 5, /seq 99 is past the last change \(7\)/],
      [['export', 'annotations', ...doc, '--scope', 'all', ...http()], asAlice, 4, /needs the right "backend.export.allUsers"/],
      [['export', 'content', ...doc, '--url', 'http://127.0.0.1:9', '--user', 'alice'], asAlice, 6, /cannot reach http:\/\/127.0.0.1:9/],
      [['export', 'content', ...doc, '--db', join(tmp.dir, 'missing.db')], {}, 6, /no database file at/],
      [['export', 'content', ...doc, ...http(), '--out', join(tmp.dir, 'no-such-dir', 'x.json')], asAlice, 7, /cannot write .*no-such-dir\/x.json: ENOENT/],
    ]
    const runs = await Promise.all(cases.map(([args, env]) => folio(args, env)))
    runs.forEach((run, i) => {
      const [args, , code, message] = cases[i]!
      expect({ args, code: run.code, stdout: run.stdout }).toEqual({ args, code, stdout: '' })
      expect(run.stderr).toMatch(message)
      expect(run.stderr).not.toMatch(/unexpected error|\n\s+at /)
    })
    // A failed export to a file leaves no file behind.
    const out = join(tmp.dir, 'never.json')
    expect((await folio(['export', 'content', ...doc, '--seq', '99', '--out', out, ...http()], asAlice)).code).toBe(5)
    expect(existsSync(out)).toBe(false)
    expect(readdirSync(tmp.dir).filter((name) => name.includes('partial'))).toEqual([])
  }, 60_000)

  it('reads the database file directly when the server is stopped, with the same results', async () => {
    await server.close()
    const db = ['--db', tmp.dbPath, '--doc', String(documentId)]
    const history = await folio(['export', 'history', ...db, '--page-size', '2'])
    expect(history.code).toBe(0)
    expect(history.stdout).toBe(outputs.history)
    expect(history.stderr).toMatch(/\nfolio: history: seq 2 of 7 \(2 revisions\)\n/)
    const content = await folio(['export', 'content', ...db])
    expect(content.stdout).toBe(outputs.content)
    const authorship = await folio(['export', 'authorship', ...db])
    expect(authorship.stdout).toBe(outputs.authorship)
    const seqs = [1, 4, 7]
    const atSeqs = await Promise.all(seqs.map((seq) => folio(['export', 'content', ...db, '--seq', String(seq), '--format', 'text', '--quiet'])))
    expect(atSeqs.map((run) => run.stdout)).toEqual(seqs.map((seq) => textAfter[seq - 1]))
    // Without an account, every user's entries are exported: the admin's draft annotation too.
    const annotations = await folio(['export', 'annotations', ...db])
    expect(annotations.code).toBe(0)
    const data = JSON.parse(annotations.stdout) as { scope: string; annotations: { draft: boolean; creator_name: string }[] }
    expect(data.scope).toBe('all')
    expect(data.annotations.map((a) => [a.creator_name, a.draft])).toEqual([
      ['alice', false],
      ['admin', true],
    ])
    const missing = await folio(['export', 'content', '--db', tmp.dbPath, '--doc', '999'])
    expect(missing).toMatchObject({ code: 5, stdout: '' })
    expect(missing.stderr).toMatch(/\nfolio: document 999 does not exist\n$/)

    // The package's bin: `npx folio-sync`.
    const help = await folio(['--help'], {}, 'npx')
    expect(help.code).toBe(0)
    expect(help.stderr).toContain('Usage: folio export <what> --doc <id> [options]')
  }, 60_000)
})
