import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { ServiceRefresh } from '../../schema/index.js'
import { rpc } from '../helpers/accounts.js'
import { waitFor } from '../helpers/clients.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { TestBroker } from '../helpers/nlpBroker.js'
import { queryDb } from '../helpers/rooms.js'
import { writeDb } from '../helpers/studies.js'

const token = 'broker-token-3f9a1c'
const skills = [
  { name: 'sentiment', nodes: 1 },
  { name: 'summary', nodes: 2 },
]
const pdfBytes = Buffer.from('%PDF-1.7\n%%EOF\n')
const timeoutMs = 400

const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })
const refreshes = (events: EventsConnection, type: ServiceRefresh['type']) =>
  events.pushes.filter((push) => push.event === 'serviceRefresh' && (push.data as ServiceRefresh).type === type).map((push) => (push.data as ServiceRefresh).data)
const resultsOf = (events: EventsConnection, id: string) => refreshes(events, 'skillResults').filter((data) => (data as { id: string }).id === id) as Record<string, unknown>[]
async function resultOf(events: EventsConnection, id: string): Promise<Record<string, unknown>> {
  await waitFor(`the skillResults of ${id}`, () => resultsOf(events, id).length > 0, 5_000)
  return resultsOf(events, id)[0]!
}
const skillNames = (data: unknown) => (data as { name: string }[]).map((skill) => skill.name).sort()
const lastSkillUpdate = (events: EventsConnection) => refreshes(events, 'skillUpdate').at(-1)

describe('the NLP service and its broker', () => {
  const fallbackDir = mkdtempSync(join(tmpdir(), 'folio-sdf-'))
  writeFileSync(join(fallbackDir, 'grading.yaml'), 'name: grading_fallback\ndescription: grades a text\noutput:\n  example:\n    score: 3\n    label: fine\n')
  writeFileSync(join(fallbackDir, 'broken.yaml'), 'description: no name here\n')
  const env: Record<string, string> = {}
  const live = useEventsServer(env)
  let broker: TestBroker

  beforeAll(async () => {
    broker = await TestBroker.start({ token, skills })
    Object.assign(env, {
      FOLIO_NLP_URL: broker.url,
      FOLIO_NLP_TOKEN: token,
      FOLIO_NLP_TIMEOUT_MS: String(timeoutMs),
      FOLIO_NLP_ATTEMPTS: '2',
      FOLIO_NLP_RECONNECT_MS: '100',
      FOLIO_NLP_FALLBACK_DIR: fallbackDir,
      FOLIO_NLP_MAX_PENDING_PER_CLIENT: '3',
      FOLIO_LOG_TABLE_LEVEL: 'debug',
    })
  })
  afterEach(async () => {
    // A test that stopped the broker leaves a running one on the same port for the next.
    if (broker.connections === 0) {
      await broker.stop()
      broker = await TestBroker.start({ token, skills, port: broker.port })
    }
    broker.requests.length = 0
    broker.answer = (request) => ({ data: { echo: request.data } })
  })
  afterAll(async () => {
    await broker.stop()
    rmSync(fallbackDir, { recursive: true, force: true })
  })

  /** A signed-in user connected to the NLP service, once its skills arrived. */
  async function connectNlp(userName: string) {
    const user = await live.connectUser(userName)
    await waitFor('the server reaching the broker', () => broker.connections > 0)
    expect(await user.events.ok('serviceConnect', { service: 'NLPService' })).toBeNull()
    await waitFor('the skills', () => skillNames(lastSkillUpdate(user.events) ?? []).length === 2)
    return user
  }

  it('lists the broker skills on serviceConnect and answers skillGetAll and skillGetConfig; the broker token reaches no client', async () => {
    const user = await connectNlp('reader')
    expect(skillNames(lastSkillUpdate(user.events))).toEqual(['sentiment', 'summary'])
    expect(refreshes(user.events, 'isAlive').at(-1)).toBe(true)
    const all = await user.events.ok<{ skills: unknown; connected: boolean }>('serviceCommand', { service: 'NLPService', command: 'skillGetAll' })
    expect(all.connected).toBe(true)
    expect(skillNames(all.skills)).toEqual(['sentiment', 'summary'])
    // The server asks for each skill's configuration once the skills arrived; it may still be on its way.
    const configOf = async (name: string) => (await user.events.ok<{ config: unknown }>('serviceCommand', { service: 'NLPService', command: 'skillGetConfig', data: { name } })).config
    let config = await configOf('sentiment')
    for (let tries = 0; tries < 100 && config === null; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20))
      config = await configOf('sentiment')
    }
    expect(config).toEqual({ name: 'sentiment', input: { data: 'text' }, output: { result: 'labels' } })
    expect(refreshes(user.events, 'skillConfig').at(-1)).toEqual({ config })
    expect(await user.events.ok('serviceCommand', { service: 'NLPService', command: 'skillGetConfig', data: { name: 'nothing' } })).toEqual({ config: null })
    const id = (await user.events.ok<{ id: string }>('serviceRequest', { service: 'NLPService', data: { id: 'r1', name: 'sentiment', data: { text: 'good' } } })).id
    await resultOf(user.events, id)
    expect(user.events.texts.join('\n')).not.toContain(token)
  })

  it('pushes skill results to the calling socket only, for two users connected at once', async () => {
    const [alice, bob] = [await connectNlp('alice'), await connectNlp('bob')]
    broker.answer = (request) => (request.data.text === 'slow' ? null : { data: { label: `${request.data.text}!` } })
    const fromAlice = await alice.events.ok<{ id: string }>('serviceRequest', { service: 'NLPService', data: { id: 'same-id', name: 'sentiment', data: { text: 'alice text' } } })
    const fromBob = await bob.events.ok<{ id: string }>('serviceRequest', { service: 'NLPService', data: { id: 'same-id', name: 'summary', data: { text: 'bob text' } } })
    expect([fromAlice.id, fromBob.id]).toEqual(['same-id', 'same-id'])
    await waitFor('both results', () => resultsOf(alice.events, 'same-id').length === 1 && resultsOf(bob.events, 'same-id').length === 1)
    // Each socket gets its own results once, never the other's, even under the same client id.
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(resultsOf(alice.events, 'same-id')).toEqual([{ id: 'same-id', data: { label: 'alice text!' } }])
    expect(resultsOf(bob.events, 'same-id')).toEqual([{ id: 'same-id', data: { label: 'bob text!' } }])
    // The broker saw two requests under ids the server chose, not the clients' ids.
    expect(broker.requests.map((request) => request.name).sort()).toEqual(['sentiment', 'summary'])
    expect(new Set(broker.requests.map((request) => request.id)).size).toBe(2)
    expect(broker.requests.some((request) => request.id === 'same-id')).toBe(false)
    for (const user of [alice, bob]) expect(user.events.texts.join('\n')).not.toContain(token)
  })

  it('replaces serviceReplacement inputs for those who may read them, and sends nothing for an id they may not', async () => {
    const [owner, stranger] = [await connectNlp('owner'), await connectNlp('stranger')]
    const admin = await live.connectAdmin()
    const pdf = (await owner.events.ok<{ doc: { id: number } }>('documentAdd', { name: 'paper.pdf', file: pdfBytes.toString('base64') })).doc.id
    const rubric = await admin.ok<{ id: number }>('configurationAdd', { name: 'Rubric', type: 0, content: { criteria: ['clarity'] } })
    const replace = (input: Record<string, unknown>) => ({ type: 'serviceReplacement', input })
    const asked = (events: EventsConnection, id: string, data: Record<string, unknown>) => events.call('serviceRequest', { service: 'NLPService', data: { id, name: 'sentiment', data } })

    expect(await asked(owner.events, 'mine', { file: replace({ type: 'document', documentId: pdf }), rubric: replace({ type: 'configuration', configurationId: rubric.id }), note: 'as is' })).toMatchObject({ success: true })
    await resultOf(owner.events, 'mine')
    expect(broker.requests).toHaveLength(1)
    expect(broker.requests[0]!.data).toEqual({ file: pdfBytes.toString('base64'), rubric: { criteria: ['clarity'] }, note: 'as is' })

    const now = Date.now()
    const submissionId = writeDb(live.dbPath, 'INSERT INTO submission (user_id, created_at, updated_at) VALUES (?, ?, ?)', owner.userId, now, now)
    writeDb(live.dbPath, 'INSERT INTO submission_document (document_id, submission_id) VALUES (?, ?)', pdf, submissionId)
    expect(await asked(stranger.events, 'theirs', { file: replace({ type: 'document', documentId: pdf }) })).toMatchObject(refused(`no access to document ${pdf}`))
    expect(await asked(stranger.events, 'theirs', { files: replace({ type: 'submission', submissionId }) })).toMatchObject(refused(`submission ${submissionId} is not yours`))
    expect(await asked(stranger.events, 'gone', { file: replace({ type: 'document', documentId: 9999 }) })).toMatchObject(refused('document 9999 does not exist'))
    expect(await asked(stranger.events, 'bad', { file: replace({ type: 'user', userId: 1 }) })).toMatchObject(refused('invalid data: file: a serviceReplacement names'))
    expect(broker.requests).toHaveLength(1)
    expect(resultsOf(stranger.events, 'theirs')).toEqual([])

    expect(await asked(owner.events, 'submitted', { files: replace({ type: 'submission', submissionId }) })).toMatchObject({ success: true })
    await resultOf(owner.events, 'submitted')
    expect(broker.requests[1]!.data).toEqual({ files: { pdf: pdfBytes.toString('base64') } })
  })

  it('sends a request again under the same id when the broker stays silent, and tells the caller when it gives up', async () => {
    const user = await connectNlp('waiter')
    let seen = 0
    broker.answer = (request) => (request.data.text === 'retried' && ++seen === 2 ? { data: { label: 'second try' } } : null)
    await user.events.ok('serviceRequest', { service: 'NLPService', data: { id: 'retried', name: 'sentiment', data: { text: 'retried' } } })
    expect(await resultOf(user.events, 'retried')).toEqual({ id: 'retried', data: { label: 'second try' } })
    expect(broker.requests.map((request) => request.id)).toEqual([broker.requests[0]!.id, broker.requests[0]!.id])

    broker.requests.length = 0
    const asked = Date.now()
    await user.events.ok('serviceRequest', { service: 'NLPService', data: { id: 'lost', name: 'sentiment', data: { text: 'lost' } } })
    expect(await resultOf(user.events, 'lost')).toEqual({ id: 'lost', error: expect.stringContaining('sent no results for skill "sentiment" in 2 attempt(s)') })
    expect(Date.now() - asked).toBeGreaterThanOrEqual(2 * timeoutMs - 20)
    expect(broker.requests).toHaveLength(2)
  })

  it('reconnects after a broker restart: the skills come back and requests work again', async () => {
    const user = await connectNlp('patient')
    await broker.stop()
    await waitFor('the broker gone', () => refreshes(user.events, 'isAlive').at(-1) === false)
    // While it is down the fallback definitions stand in for the skills.
    expect(lastSkillUpdate(user.events)).toEqual([{ name: 'grading_fallback', nodes: 0, fallback: true }])
    expect(await user.events.call('serviceRequest', { service: 'NLPService', data: { id: 'early', name: 'sentiment', data: {} } })).toMatchObject(refused('the NLP broker is not reachable now'))

    broker = await TestBroker.start({ token, skills, port: broker.port })
    await waitFor('the broker back', () => refreshes(user.events, 'isAlive').at(-1) === true, 5_000)
    await waitFor('its skills', () => skillNames(lastSkillUpdate(user.events)).join() === 'sentiment,summary')
    await user.events.ok('serviceRequest', { service: 'NLPService', data: { id: 'later', name: 'sentiment', data: { text: 'again' } } })
    expect(await resultOf(user.events, 'later')).toEqual({ id: 'later', data: { echo: { text: 'again' } } })
  })

  it('answers a fallback skill from its YAML definition while the broker is down', async () => {
    const user = await connectNlp('offline')
    await broker.stop()
    await waitFor('the broker gone', () => refreshes(user.events, 'isAlive').at(-1) === false)
    const all = await user.events.ok('serviceCommand', { service: 'NLPService', command: 'skillGetAll' })
    expect(all).toEqual({ skills: [{ name: 'grading_fallback', nodes: 0, fallback: true }], connected: false })
    expect(await user.events.ok('serviceCommand', { service: 'NLPService', command: 'skillGetConfig', data: { name: 'grading_fallback' } })).toEqual({
      config: { name: 'grading_fallback', description: 'grades a text', output: { example: { score: 3, label: 'fine' } } },
    })
    await user.events.ok('serviceRequest', { service: 'NLPService', data: { id: 'offline', name: 'grading_fallback', data: { text: 'x' } } })
    expect(await resultOf(user.events, 'offline')).toEqual({ id: 'offline', data: { score: 3, label: 'fine' }, fallback: true })
    // The token reached no log line either (the log table takes every level in this suite).
    await waitFor('the disconnection logged', () => (queryDb(live.dbPath, "SELECT message FROM log WHERE message LIKE '%nlp.disconnected%'") as unknown[]).length > 0)
    const logged = queryDb(live.dbPath, 'SELECT message FROM log') as { message: string }[]
    expect(logged.some((line) => line.message.includes('nlp.connected'))).toBe(true)
    expect(logged.filter((line) => line.message.includes(token))).toEqual([])
  })

  it('refuses what the service rules do not allow', async () => {
    const user = await connectNlp('student')
    const command = (service: string, name: string, data?: unknown) => user.events.call('serviceCommand', { service, command: name, data })
    expect(await user.events.call('serviceConnect', { service: 'BackgroundTaskService' })).toMatchObject(refused('only administrators'))
    expect(await command('BackgroundTaskService', 'getBackgroundTask')).toMatchObject(refused('only administrators'))
    expect(await command('BackgroundTaskService', 'startPreprocessing', { skill: 'sentiment', inputs: { text: { table: 'document', ids: [1] } } })).toMatchObject(refused('only administrators'))
    expect(await command('BackgroundTaskService', 'cancelPreprocessing')).toMatchObject(refused('only administrators'))
    expect(await user.events.call('serviceConnect', { service: 'MailService' })).toMatchObject(refused('invalid input: service'))
    expect(await command('NLPService', 'skillDelete')).toMatchObject(refused('unknown command "skillDelete" of NLPService'))
    expect(await user.events.call('serviceRequest', { service: 'NLPService', data: { id: 'x', name: 'sentiment' } })).toMatchObject(refused('invalid data: data'))
    const overHttp = await rpc(live.server.url, 'serviceRequest', { service: 'NLPService', data: { id: 'http', name: 'sentiment', data: {} } }, user.token)
    expect(overHttp).toMatchObject({ status: 400, body: refused('call it over the events socket') })
    expect(broker.requests).toEqual([])
  })

  it('caps the requests one socket may have waiting', async () => {
    const user = await connectNlp('impatient')
    broker.answer = () => null
    const asked = (id: string) => user.events.call('serviceRequest', { service: 'NLPService', data: { id, name: 'sentiment', data: {} } })
    for (let index = 0; index < 3; index++) expect(await asked(`wait-${index}`)).toMatchObject({ success: true })
    expect(await asked('one-too-many')).toMatchObject(refused('3 skill requests of this socket still wait for results'))
  })

  describe('background tasks', () => {
    const task = (events: EventsConnection, command: string, data?: unknown) => events.call('serviceCommand', { service: 'BackgroundTaskService', command, data })
    const stored = () => queryDb(live.dbPath, 'SELECT document_id AS documentId, key, value, user_id AS userId FROM document_data ORDER BY document_id, key') as Record<string, unknown>[]
    const taskUpdates = (events: EventsConnection) => refreshes(events, 'backgroundTaskUpdate') as ({ finished: boolean; done: number; failed: number; cancelled: boolean } | null)[]

    async function setUp() {
      const owner = await live.connectUser('author')
      const admin = await live.connectAdmin()
      await waitFor('the server reaching the broker', () => broker.connections > 0)
      const documents: number[] = []
      for (const name of ['a.pdf', 'b.pdf', 'c.pdf']) documents.push((await owner.events.ok<{ doc: { id: number } }>('documentAdd', { name, file: pdfBytes.toString('base64') })).doc.id)
      const rubric = await admin.ok<{ id: number }>('configurationAdd', { name: 'Rubric', type: 0, content: { criteria: ['clarity'] } })
      return { admin, documents, rubric: rubric.id }
    }

    it('applies a skill to every chosen document, storing each result field under nlpRequest_<skill>_<field>, with progress', async () => {
      const { admin, documents, rubric } = await setUp()
      const watcher = await live.connectAdmin()
      expect(await watcher.ok('serviceConnect', { service: 'BackgroundTaskService' })).toBeNull()
      await admin.ok('subscribeAppData', { table: 'document_data' })
      broker.answer = (request) => ({ data: { score: (request.data.file as string).length, rubric: request.data.rubric, mode: request.data.mode } })
      const started = await admin.ok<{ total: number; finished: boolean }>('serviceCommand', {
        service: 'BackgroundTaskService',
        command: 'startPreprocessing',
        data: { skill: 'grading', inputs: { file: { table: 'document', ids: documents.slice(0, 2) }, rubric: { table: 'configuration', id: rubric }, mode: { value: 'strict' } }, progressId: 'grading-1' },
      })
      expect(started).toMatchObject({ skill: 'grading', total: 2, done: 0, finished: false })
      await waitFor('the task finished', () => taskUpdates(watcher).at(-1)?.finished === true)
      expect(taskUpdates(watcher).at(-1)).toMatchObject({ total: 2, done: 2, failed: 0, cancelled: false, finished: true })
      expect(admin.pushes.filter((push) => push.event === 'progressUpdate').map((push) => push.data)).toEqual([
        { id: 'grading-1', current: 1, total: 2 },
        { id: 'grading-1', current: 2, total: 2 },
      ])
      const score = pdfBytes.toString('base64').length
      expect(stored()).toEqual(
        documents.slice(0, 2).flatMap((documentId) => [
          { documentId, key: 'nlpRequest_grading_mode', value: '"strict"', userId: 1 },
          { documentId, key: 'nlpRequest_grading_rubric', value: '{"criteria":["clarity"]}', userId: 1 },
          { documentId, key: 'nlpRequest_grading_score', value: String(score), userId: 1 },
        ]),
      )
      await admin.waitForRow('document_data', 'a stored result', (row) => row.key === 'nlpRequest_grading_score' && row.documentId === documents[1])
      expect(await task(admin, 'getBackgroundTask')).toMatchObject({ success: true, data: { done: 2, finished: true } })
    })

    it('checks every item before the first runs, runs one task at a time, and stops at cancel keeping what was stored', async () => {
      const { admin, documents } = await setUp()
      const start = (ids: number[]) => task(admin, 'startPreprocessing', { skill: 'grading', inputs: { file: { table: 'document', ids } } })
      expect(await start([documents[0]!, 9999])).toMatchObject(refused('document 9999 does not exist'))
      expect(await task(admin, 'startPreprocessing', { skill: 'grading', inputs: { file: { table: 'document', ids: [documents[0]] }, other: { table: 'submission', ids: [1] } } })).toMatchObject(refused('exactly one input must select'))
      expect(broker.requests).toEqual([])

      // The first item is answered, the second never is: the task waits on it until cancelled.
      broker.answer = () => (broker.requests.length === 1 ? { data: { score: 1 } } : null)
      expect(await start(documents)).toMatchObject({ success: true, data: { total: 3 } })
      await waitFor('the second request', () => broker.requests.length === 2)
      expect(await start(documents)).toMatchObject(refused('a background task (grading) is still running'))
      expect(await task(admin, 'cancelPreprocessing')).toMatchObject({ success: true, data: { cancelled: true } })
      // Long enough for a retry and a third item, had the task gone on.
      await new Promise((resolve) => setTimeout(resolve, 3 * timeoutMs))
      expect(admin.pushes.filter((push) => push.event === 'progressUpdate')).toHaveLength(1)
      expect(await task(admin, 'getBackgroundTask')).toMatchObject({ success: true, data: { done: 1, failed: 0, cancelled: true, finished: true } })
      expect(broker.requests).toHaveLength(2)
      expect(stored().map((row) => [row.documentId, row.key])).toEqual([[documents[0], 'nlpRequest_grading_score']])
    })
  })
})
