import { afterEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, registerAndLogin } from '../helpers/accounts.js'
import { waitFor } from '../helpers/clients.js'
import { EventsConnection } from '../helpers/events.js'
import { queryDb } from '../helpers/rooms.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { ServerProcesses } from '../helpers/server.js'
import { createStudy, workflowId, writeDb } from '../helpers/studies.js'

const refused = (message: string) => ({ success: false, message: expect.stringContaining(message) })
/** Batches that never fill and never time out: only a socket closing or the server stopping stores them. */
const holdEverything = { FOLIO_STATS_BATCH_SIZE: '100000', FOLIO_STATS_FLUSH_MS: '3600000' }

const storedStats = (dbPath: string) => queryDb(dbPath, 'SELECT action, data, user_id AS userId, session FROM statistic ORDER BY id') as { action: string; data: string; userId: number; session: string | null }[]
const acceptStats = (dbPath: string, userId: number, accept: boolean) => writeDb(dbPath, 'UPDATE user SET accept_stats = ? WHERE id = ?', accept ? 1 : 0, userId)

describe('usage statistics', () => {
  const live = useEventsServer(holdEverything)
  const { connect } = live
  const user = async (name: string) => {
    const { token, userId } = await registerAndLogin(live.server.url, name)
    return { events: await connect(token), userId }
  }
  const admin = async () => connect(await login(live.server.url, 'admin', adminPassword))

  it('records only while the user accepts statistics, and stores them when the socket closes', async () => {
    const ann = await user('ann')
    expect(await ann.events.ok('stats', { action: 'mouseMove', data: { x: 1 } })).toEqual({ recorded: false })
    acceptStats(live.dbPath, ann.userId, true)
    for (let index = 0; index < 5; index++) expect(await ann.events.ok('stats', { action: 'scroll', data: { index } })).toEqual({ recorded: true })
    expect(storedStats(live.dbPath)).toEqual([])
    ann.events.ws.close()
    await waitFor('the stored statistics', () => storedStats(live.dbPath).length === 5)
    expect(storedStats(live.dbPath).map((row) => [row.action, JSON.parse(row.data).index, row.userId])).toEqual([0, 1, 2, 3, 4].map((index) => ['scroll', index, ann.userId]))
    expect(new Set(storedStats(live.dbPath).map((row) => row.session)).size).toBe(1)
  })

  it('drops entries still waiting when consent is withdrawn, and never shows statistics of users who withdrew it', async () => {
    const [ann, bob] = [await user('ann'), await user('bob')]
    acceptStats(live.dbPath, ann.userId, true)
    acceptStats(live.dbPath, bob.userId, true)
    await ann.events.ok('stats', { action: 'open' })
    await bob.events.ok('stats', { action: 'open' })
    acceptStats(live.dbPath, bob.userId, false)
    const boss = await admin()
    expect((await boss.ok<{ userId: number }[]>('statsGet', {})).map((row) => row.userId)).toEqual([ann.userId])
    await ann.events.ok('stats', { action: 'close' })
    acceptStats(live.dbPath, ann.userId, false)
    expect(await boss.ok('statsGet', {})).toEqual([])
    // Bob's entry and Ann's last one waited when they withdrew consent: never stored.
    expect(storedStats(live.dbPath).map((row) => [row.userId, row.action])).toEqual([[ann.userId, 'open']])
  })

  it('statsGet and statsGetByUser answer admins only, and statsGetByUser only for a consenting user', async () => {
    const [ann, bob] = [await user('ann'), await user('bob')]
    acceptStats(live.dbPath, ann.userId, true)
    await ann.events.ok('stats', { action: 'open', data: { doc: 3 } })
    const boss = await admin()
    expect(await boss.ok('statsGet', { userId: ann.userId })).toEqual([expect.objectContaining({ action: 'open', data: { doc: 3 }, userId: ann.userId })])
    const answer = await boss.ok<{ statistics: unknown[] }>('statsGetByUser', { userId: ann.userId })
    expect(answer).toEqual({ success: true, userId: ann.userId, statistics: [expect.objectContaining({ action: 'open' })] })
    expect(boss.pushes.find((push) => push.event === 'statsDataByUser')?.data).toEqual(answer)
    expect(await boss.call('statsGetByUser', { userId: bob.userId })).toMatchObject(refused('does not accept statistics'))
    expect(await ann.events.call('statsGet', {})).toMatchObject(refused('only administrators'))
    expect(await ann.events.call('statsGetByUser', { userId: ann.userId })).toMatchObject(refused('only administrators'))
  })

  it('toasts a refused studySessionSubscribe, as the original does, and not a granted one', async () => {
    const [owner, other] = [await user('owner'), await user('other')]
    const studyId = await createStudy(owner.events, { name: 'Study', workflowId: workflowId(live.dbPath, 'Annotation Workflow') })
    expect(await other.events.call('studySessionSubscribe', { studyId })).toMatchObject(refused('only the owner'))
    expect(other.events.pushes.filter((push) => push.event === 'toast').map((push) => push.data)).toEqual([
      { message: expect.stringContaining('only the owner'), title: 'Error', variant: 'danger' },
    ])
    expect(await owner.events.call('studySessionSubscribe', { studyId })).toMatchObject({ success: true })
    expect(owner.events.pushes.filter((push) => push.event === 'toast')).toEqual([])
  })
})

describe('statistics at a real server stop', () => {
  const processes = new ServerProcesses()
  afterEach(() => processes.cleanup())

  it('stores every recorded entry when the server gets SIGTERM', async () => {
    const running = await processes.start(holdEverything)
    const { token, userId } = await registerAndLogin(running.url, 'ann')
    acceptStats(processes.tmp.dbPath, userId, true)
    const events = await EventsConnection.open({ url: running.url } as FolioServer, token)
    const sent = 200
    await Promise.all(Array.from({ length: sent }, (_, index) => events.ok('stats', { action: 'keypress', data: { index } })))
    expect(storedStats(processes.tmp.dbPath)).toEqual([])
    running.child.kill('SIGTERM')
    expect(await running.exited).toEqual({ code: 0, signal: null })
    const stored = storedStats(processes.tmp.dbPath)
    expect(stored).toHaveLength(sent)
    expect(new Set(stored.map((row) => JSON.parse(row.data).index)).size).toBe(sent)
  })
})
