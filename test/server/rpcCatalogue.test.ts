import { describe, expect, it } from 'vitest'
import { rpc } from '../helpers/accounts.js'
import { useEventsServer } from '../helpers/eventsServer.js'

interface Entry {
  event: string
  input: { type?: string; anyOf?: unknown[] }
  output: unknown
  access: 'signedIn' | 'admin' | { right: string }
  scope: string | null
  pushes: string[]
  transaction: boolean
}

/** The 72 client-to-server events of the original platform's socket API, by socket file. */
const careEvents = {
  app: ['appInit', 'appData', 'appDataByHash', 'subscribeAppData', 'unsubscribeAppData', 'appDataUpdate', 'appSettingSet'],
  document: [
    'documentGetByHash',
    'documentPublish',
    'documentEdit',
    'documentSubscribe',
    'documentUnsubscribe',
    'documentGetDeltas',
    'documentGet',
    'documentGetData',
    'documentCreate',
    'documentAdd',
    'documentUpdate',
    'documentGetMoodleSubmissions',
    'documentDownloadMoodleSubmissions',
    'documentPublishReviewLinks',
    'documentDataSave',
    'documentDataGet',
    'documentClose',
    'documentOpen',
    'documentGetAll',
    'documentUploadSingleSubmission',
  ],
  annotation: ['annotationGet', 'annotationUpdate', 'annotationGetByDocument', 'annotationEmbed'],
  comment: ['commentGet', 'commentUpdate', 'commentGetByDocument'],
  collab: ['collabUpdate'],
  configuration: ['configurationUpdate', 'configurationAdd'],
  log: ['log', 'logGetAll'],
  service: ['serviceConnect', 'serviceDisconnect', 'serviceRequest', 'serviceCommand'],
  setting: ['settingGetData', 'settingSave'],
  statistic: ['stats', 'statsGet', 'statsGetByUser'],
  study: ['studySaveAsTemplate', 'studyCloseBulk'],
  study_session: ['studySessionStart', 'studySessionSubscribe', 'studySessionUnsubscribe'],
  submission: ['submissionAssignGroup'],
  user: [
    'userGetByRole',
    'userGetRight',
    'userUpdateDetails',
    'userResetPwd',
    'userGetDetails',
    'userConsentUpdate',
    'userBulkCreate',
    'userMoodleUserGetAll',
    'userCheckExistsByMail',
    'userCreate',
    'userPublishMoodle',
    'userGetRoleBasedRights',
    'userGetAllRights',
    'userAssignRoleRights',
  ],
  assignment: ['assignmentCreate', 'assignmentAdd', 'assignmentCreateBulk', 'assignmentGetInfo'],
}

describe('GET /rpc: the catalogue of every RPC event', () => {
  const env = useEventsServer()
  const catalogue = async (): Promise<Entry[]> => {
    const response = await fetch(`${env.server.url}/rpc`)
    expect(response.status).toBe(200)
    return ((await response.json()) as { events: Entry[] }).events
  }

  it('lists all 72 events of the original, each with the JSON Schema of its input', async () => {
    const care = Object.values(careEvents).flat()
    expect(new Set(care).size).toBe(72)
    const byName = new Map((await catalogue()).map((entry) => [entry.event, entry]))
    const missing = care.filter((event) => !byName.has(event))
    expect(missing).toEqual([])
    for (const event of care) {
      const { input } = byName.get(event)!
      expect(input.type !== undefined || input.anyOf !== undefined, `${event} has an input schema`).toBe(true)
    }
  })

  it('lists exactly the events the server answers: a name outside it is unknown, every name in it is known', async () => {
    const token = (await env.connectUser('cataloguer')).token
    const entries = await catalogue()
    for (const { event } of entries) expect((await rpc(env.server.url, event, {}, token)).status, event).not.toBe(404)
    expect((await rpc(env.server.url, 'noSuchEvent', {}, token)).status).toBe(404)
  })

  it('keeps what it declares: admin and right events refuse a plain user before reading the input, every event refuses a caller who is not signed in', async () => {
    const { token } = await env.connectUser('plain')
    const entries = await catalogue()
    const gated = entries.filter((entry) => entry.access !== 'signedIn')
    expect(gated.map((entry) => entry.event)).toEqual(expect.arrayContaining(['settingSave', 'userCreate', 'logGetAll', 'assignmentCreateBulk']))
    for (const { event, access } of gated) {
      // An empty input would be refused as invalid (400) by an event that read it first.
      const { status, body } = await rpc(env.server.url, event, {}, token)
      expect([event, status], JSON.stringify(body)).toEqual([event, 403])
      if (typeof access === 'object') expect(body.success ? '' : body.message).toContain(access.right)
    }
    for (const { event } of entries.slice(0, 10)) expect((await rpc(env.server.url, event, {}))).toMatchObject({ status: 401 })
  })

  it('declares what a call pushes: the pushes a call brings before its answer are among its declared ones', async () => {
    const admin = await env.connectAdmin()
    const declared = new Map((await catalogue()).map((entry) => [entry.event, entry.pushes]))
    const matches = (push: string, pattern: string) => push === pattern || (pattern === '<table>Refresh' && push.endsWith('Refresh'))
    const pushesOf = async (event: string, data?: unknown) => {
      const before = admin.pushes.length
      await admin.ok(event, data)
      return admin.pushes.slice(before).map((push) => push.event)
    }
    await admin.ok('subscribeAppData', { table: 'document' })
    const calls: [string, unknown][] = [
      ['appInit', undefined],
      ['subscribeAppData', { table: 'tag' }],
      ['documentCreate', { name: 'catalogued', type: 1 }],
      ['documentGetAll', undefined],
      ['userGetRight', { userId: 1 }],
      ['logGetAll', {}],
    ]
    for (const [event, data] of calls) {
      const pushes = await pushesOf(event, data)
      expect(pushes.length, `${event} pushes something`).toBeGreaterThan(0)
      for (const push of pushes) expect(declared.get(event)!.some((pattern) => matches(push, pattern)), `${event} declares ${push}`).toBe(true)
    }
  })
})
