import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { strFromU8, unzipSync } from 'fflate'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { documentDocName } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { registerAndLogin } from '../helpers/accounts.js'
import { EventsConnection } from '../helpers/events.js'
import { startTestServer, tempDir } from '../helpers/server.js'
import { createStudy, studySteps, workflowId, writeDb } from '../helpers/studies.js'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** Runs the CLI's bin in a child process. */
function folio(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['clients/cli/bin.mjs', ...args], { cwd: repoRoot, env: { ...process.env, FOLIO_PASSWORD: '', ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })))
}

/** The archive's files as text, without the export time, which differs from run to run. */
function archiveFiles(path: string): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(readFileSync(path))).map(([name, bytes]) => [name, strFromU8(bytes).replace(/"exportedAt": "[^"]+"/g, '"exportedAt": ""')]))
}

describe('folio export study (CLI)', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let studyId: number
  let editorDoc: number
  let sessionId: number
  const asTina = { FOLIO_PASSWORD: 'tina-password' }

  beforeAll(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    const tina = await registerAndLogin(server.url, 'tina')
    const pat = await registerAndLogin(server.url, 'pat')
    writeDb(tmp.dbPath, 'UPDATE user SET accept_data_sharing = 1 WHERE id = ?', pat.userId)
    const [owner, student] = [await EventsConnection.open(server, tina.token), await EventsConnection.open(server, pat.token)]
    studyId = await createStudy(owner, { name: 'Essays', workflowId: workflowId(tmp.dbPath, 'Ruhr-Uni Bochum Project'), anonymize: true })
    editorDoc = studySteps(tmp.dbPath, studyId)[0]!.documentId as number
    sessionId = (await student.ok<{ id: number }>('studySessionStart', { studyId })).id
    for (const [at, character] of [...'Draft'].entries()) {
      await server.engine.transact(documentDocName(editorDoc, sessionId), { userId: String(pat.userId) }, (doc) => doc.getText('content').insert(at, character))
    }
    owner.ws.close()
    student.ws.close()
  })
  afterAll(async () => {
    await server.close()
    tmp.remove()
  })

  it('writes the same archive from a running server and from the database file, with progress on stderr', async () => {
    const overHttp = join(tmp.dir, 'http.zip')
    const http = await folio(['export', 'study', String(studyId), '--url', server.url, '--user', 'tina', '--out', overHttp], asTina)
    expect(http).toMatchObject({ code: 0, stdout: '' })
    expect(http.stderr).toContain(`folio: exporting study ${studyId} from ${server.url} as tina\n`)
    expect(http.stderr).toMatch(/folio: received \d+ bytes\n/)
    const events = await folio(['export', 'history', '--doc', String(editorDoc), '--session', String(sessionId), '--format', 'events', '--url', server.url, '--user', 'tina', '--quiet'], asTina)
    expect(events.code).toBe(0)
    expect(events.stdout.split('\r\n')[0]).toBe('writer,session,step,document,type,seq,start,end,stored,pauseMs,position,documentLength,operation,text')
    // A participant is not the owner: refused, exit code 4.
    const refused = await folio(['export', 'study', String(studyId), '--url', server.url, '--user', 'pat', '--out', join(tmp.dir, 'no.zip')], { FOLIO_PASSWORD: 'pat-password' })
    expect(refused.code).toBe(4)
    expect(refused.stderr).toContain(`only the study's owner or the studies full-access right may export study ${studyId}`)

    await server.close()
    const fromDb = join(tmp.dir, 'db.zip')
    const db = await folio(['export', 'study', String(studyId), '--db', tmp.dbPath, '--out', fromDb])
    expect(db.code).toBe(0)
    expect(db.stderr).toContain(`folio: study ${studyId} session ${sessionId} (1 of 1 sessions)\n`)
    const files = archiveFiles(fromDb)
    expect(files).toEqual(archiveFiles(overHttp))
    expect(JSON.parse(files[`study-${studyId}/session-${sessionId}/document-${editorDoc}.json`]!)).toMatchObject({ text: 'Draft' })
    const dbEvents = await folio(['export', 'history', '--doc', String(editorDoc), '--session', String(sessionId), '--format', 'events', '--db', tmp.dbPath, '--quiet'])
    expect(dbEvents.stdout).toBe(events.stdout)
    const idfx = await folio(['export', 'history', '--doc', String(editorDoc), '--session', String(sessionId), '--format', 'idfx', '--db', tmp.dbPath, '--quiet'])
    expect(idfx.stdout.match(/<event type="keyboard"/g)).toHaveLength(5)

    const usage = await folio(['export', 'study', '--db', tmp.dbPath])
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('folio: which study? folio export study <id>\n')
  }, 60_000)
})
