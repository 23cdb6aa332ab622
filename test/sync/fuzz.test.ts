import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FuzzReport, fuzzServer } from '../../bench/fuzzRun.js'
import { adminPassword, login } from '../helpers/accounts.js'
import { type ServerProcess, spawnServer, syncUrl, tempDir } from '../helpers/server.js'

/** bench/fuzz.ts sends 10^6 frames; CI sends 10^4 (about 17 s on two idle cores, up to a minute on busy ones). */
const frames = 10_000

describe(`${frames} fuzzed y-websocket frames (bench/fuzzFrames.ts) against a server process`, () => {
  const tmp = tempDir()
  let server: ServerProcess
  let report: FuzzReport

  beforeAll(async () => {
    server = await spawnServer(tmp.dbPath)
    const token = await login(server.url, 'admin', adminPassword)
    // A new seed each run explores more; a failure prints it (fast-check's report) to replay with bench:fuzz --seed.
    const seed = Date.now() % 2 ** 31
    report = await fuzzServer({ server, dbPath: tmp.dbPath, syncUrl: syncUrl(server), token, docPrefix: 'fuzz' }, frames, seed)
    console.info(`fuzz seed ${seed}: ${report.connections} connections, outcomes ${JSON.stringify(Object.fromEntries(report.outcomes))}`)
  }, 120_000)
  afterAll(async () => {
    server.child.kill('SIGKILL')
    await server.exited
    tmp.remove()
  })

  it('keeps the server up, and a well-behaved client on the same doc connected and answered', () => {
    expect(report.failure).toBeNull()
    expect(report.frames).toBe(frames)
    expect(server.child.exitCode).toBeNull()
    expect(report.probeSamples).toBeGreaterThan(0)
  })

  it('never shows a fresh client a struct the server has not stored', () => {
    expect(report.mismatches.filter((mismatch) => mismatch.kind === 'state vector')).toEqual([])
  })

  // Yjs files a struct that reuses a known client id and clock where the doc's own update events
  // cannot follow it; the engine refuses such updates (sync/reusedClocks.ts), so no doc drifts from its log.
  it('gives a fresh client exactly the state the server stored, for every fuzzed doc', () => {
    expect(report.mismatches).toEqual([])
  })
})
