import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'
import type { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { padDocName } from '../../schema/index.js'
import { encodeAwarenessEntries, encodeAwarenessMessage } from '../../sync/index.js'
import type { FolioServer } from '../../server/index.js'
import { rpc } from '../helpers/accounts.js'
import { closeProviders, openProvider, syncedProvider, waitFor } from '../helpers/clients.js'
import { pdfText } from '../helpers/pdfText.js'
import { createRoom as createRoomAs, failWrites, queryDb, soloWriter, startServerWithUsers, type TestUser } from '../helpers/rooms.js'
import { spawnServer, startTestServer, syncUrl, tempDir, withServer } from '../helpers/server.js'
import { SignalingClient } from '../helpers/signaling.js'

let server: FolioServer
let dbPath: string
let adminToken: string
let bob: TestUser
let carol: TestUser
let dave: TestUser
let stop: () => Promise<void>
const clients: SignalingClient[] = []
const providers: WebsocketProvider[] = []

beforeAll(async () => {
  ;({ server, dbPath, adminToken, stop, users: { bob, carol, dave } } = await startServerWithUsers(['bob', 'carol', 'dave']))
})

afterAll(async () => {
  closeProviders(...providers)
  for (const client of clients) client.close()
  await stop()
})

async function createRoom(title = 'Planning'): Promise<string> {
  return (await createRoomAs(server.url, adminToken, title)).id
}

/** A room with the admin as moderator, bob and carol joined. */
async function meeting() {
  const roomId = await createRoom()
  const moderator = new SignalingClient(server.url, roomId, adminToken)
  const bobClient = new SignalingClient(server.url, roomId, bob.token)
  const carolClient = new SignalingClient(server.url, roomId, carol.token)
  clients.push(moderator, bobClient, carolClient)
  const ids = {
    moderator: (await moderator.join('Moderator')).id,
    bob: (await bobClient.join('Bob')).id,
    carol: (await carolClient.join('Carol')).id,
  }
  return { roomId, moderator, bob: bobClient, carol: carolClient, ids }
}

/** The pad session secret in a write_url / read_url. */
function sessionOf(url: unknown): string {
  const parsed = new URL(String(url))
  expect(parsed.pathname).toBe('/auth_session')
  expect(parsed.searchParams.get('padName')).toBe('protocol')
  return parsed.searchParams.get('sessionID')!
}

async function errorFor(client: SignalingClient, payload: Record<string, unknown>): Promise<unknown> {
  const since = client.frames.length
  client.send('protocol', payload)
  return (await client.next('protocol', 'error', { since })).error
}

function padText(roomId: string): string {
  return server.engine.read(padDocName(roomId), (doc) => doc.getText('content').toString())
}

async function padProvider(roomId: string, url: unknown): Promise<WebsocketProvider> {
  const provider = await syncedProvider(syncUrl(server), padDocName(roomId), { params: { token: sessionOf(url) } })
  providers.push(provider)
  return provider
}

describe('protocol: commands before the pad exists', () => {
  it('refuses non-moderators, and deselect / generate_pdf before init', async () => {
    const { moderator, bob: bobClient, ids } = await meeting()
    expect(await errorFor(bobClient, { action: 'select_writer', participant_ids: [ids.bob] })).toBe('insufficient_permissions')
    expect(await errorFor(bobClient, { action: 'generate_pdf' })).toBe('insufficient_permissions')
    expect(await errorFor(moderator, { action: 'deselect_writer', participant_ids: [ids.bob] })).toBe('not_initialized')
    expect(await errorFor(moderator, { action: 'generate_pdf' })).toBe('not_initialized')
  })

  it('refuses a selection naming an unknown or absent participant, and changes nothing', async () => {
    const { roomId, moderator, bob: bobClient, ids } = await meeting()
    const gone = new SignalingClient(server.url, roomId, dave.token)
    const goneId = (await gone.join('Dave')).id
    gone.close()
    await moderator.next('control', 'left')

    const since = bobClient.frames.length
    expect(await errorFor(moderator, { action: 'select_writer', participant_ids: [ids.bob, crypto.randomUUID()] })).toBe('invalid_participant_selection')
    expect(await errorFor(moderator, { action: 'select_writer', participant_ids: [ids.bob, goneId] })).toBe('invalid_participant_selection')
    expect(await errorFor(moderator, { action: 'select_writer', participant_ids: [] })).toBe('invalid_participant_selection')
    expect(await errorFor(moderator, { action: 'select_writer', participant_ids: [ids.bob, 'not-a-participant'] })).toBe('invalid_participant_selection')
    // Still not initialised, and nobody was sent a URL.
    expect(await errorFor(moderator, { action: 'generate_pdf' })).toBe('not_initialized')
    expect(bobClient.received('protocol', 'write_url', since)).toEqual([])
    expect(bobClient.received('protocol', 'read_url', since)).toEqual([])
  })
})

describe('protocol: initialisation', () => {
  it('gives every participant a URL on the first selection, and moderators see who writes', async () => {
    const { roomId, moderator, bob: bobClient, carol: carolClient, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob, ids.bob] })
    const writeUrl = (await bobClient.next('protocol', 'write_url')).url
    const carolRead = (await carolClient.next('protocol', 'read_url')).url
    const moderatorRead = (await moderator.next('protocol', 'read_url')).url
    expect(String(writeUrl)).toContain(`groupID=${roomId}`)
    expect(String(writeUrl).startsWith(`${server.url}/auth_session?`)).toBe(true)
    // One session per participant: three distinct secrets.
    expect(new Set([sessionOf(writeUrl), sessionOf(carolRead), sessionOf(moderatorRead)]).size).toBe(3)
    expect(bobClient.received('protocol', 'write_url')).toHaveLength(1)

    await waitFor('the moderator to see bob as a writer', () =>
      moderator.received('control', 'update').some((u) => u.id === ids.bob && (u.protocol as { readonly: boolean } | undefined)?.readonly === false),
    )
    // Non-moderators are not told who writes.
    expect(carolClient.received('control', 'update').filter((u) => 'protocol' in u)).toEqual([])

    // A late joiner gets join_success (saying the pad exists), then a read URL; moderators learn their access in `joined`.
    const moderatorSince = moderator.frames.length
    const carolSince = carolClient.frames.length
    const late = new SignalingClient(server.url, roomId, dave.token)
    clients.push(late)
    const lateJoin = await late.join('Dave')
    expect(lateJoin.protocol).toEqual({ status: 'initialized' })
    await late.next('protocol', 'read_url')
    expect(late.frames.map((f) => f.payload.message)).toEqual(['join_success', 'read_url'])
    expect(await moderator.next('control', 'joined', { since: moderatorSince })).toMatchObject({ id: lateJoin.id, protocol: { readonly: true } })
    expect(await carolClient.next('control', 'joined', { since: carolSince })).not.toHaveProperty('protocol')

    // A moderator joining sees every participant's access in join_success.
    const second = new SignalingClient(server.url, roomId, adminToken)
    clients.push(second)
    const secondJoin = await second.join('Moderator, second tab')
    expect(secondJoin.participants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: ids.bob, protocol: { readonly: false } }),
        expect.objectContaining({ id: ids.carol, protocol: { readonly: true } }),
        expect.objectContaining({ id: lateJoin.id, protocol: { readonly: true } }),
      ]),
    )
    expect(padText(roomId)).toBe('')
  })

  it('answers currently_initializing to a command that arrives while the pad is being created', async () => {
    const { moderator, bob: bobClient, ids } = await meeting()
    const since = moderator.frames.length
    moderator.sendTogether([
      { namespace: 'protocol', payload: { action: 'select_writer', participant_ids: [ids.bob] } },
      { namespace: 'protocol', payload: { action: 'select_writer', participant_ids: [ids.moderator] } },
      { namespace: 'protocol', payload: { action: 'deselect_writer', participant_ids: [ids.bob] } },
    ])
    await bobClient.next('protocol', 'write_url')
    await moderator.next('protocol', 'read_url', { since })
    expect(moderator.received('protocol', 'error', since).map((e) => e.error)).toEqual(['currently_initializing', 'currently_initializing'])
  })

  it('answers failed_initialization when the pad cannot be stored, stays uninitialised, and a retry works', async () => {
    const { roomId, moderator, bob: bobClient, ids } = await meeting()
    // A second connection to the same database file makes the initialisation's write fail, as a full disk or a broken file would.
    const restore = failWrites(dbPath, 'refuse_pad', 'BEFORE UPDATE OF pad_created_at ON room')
    try {
      expect(await errorFor(moderator, { action: 'select_writer', participant_ids: [ids.bob] })).toBe('failed_initialization')
      expect(await errorFor(moderator, { action: 'generate_pdf' })).toBe('not_initialized')
      expect(bobClient.received('protocol', 'write_url')).toEqual([])
      // Nothing half-written: no session row survived the failed transaction.
      expect(queryDb(dbPath, 'SELECT count(*) AS n FROM pad_session WHERE room_id = ?', roomId)).toEqual([{ n: 0 }])
    } finally {
      restore()
    }
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob] })
    await bobClient.next('protocol', 'write_url')
  })
})

describe('protocol: writing, revocation and reconnects', () => {
  it('lets writers edit, stops a deselected writer at once, and sends them a read URL', async () => {
    const { roomId, moderator, bob: bobClient, carol: carolClient, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob] })
    const writeUrl = (await bobClient.next('protocol', 'write_url')).url
    const writer = await padProvider(roomId, writeUrl)
    const reader = await padProvider(roomId, (await carolClient.next('protocol', 'read_url')).url)

    writer.doc.getText('content').insert(0, 'Beschlüsse: ')
    await waitFor('the reader to see the writer’s text', () => reader.doc.getText('content').toString() === 'Beschlüsse: ')
    reader.doc.getText('content').insert(0, 'forged ')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(padText(roomId)).toBe('Beschlüsse: ')

    const since = bobClient.frames.length
    const moderatorSince = moderator.frames.length
    moderator.send('protocol', { action: 'deselect_writer', participant_ids: [ids.bob] })
    const readUrl = (await bobClient.next('protocol', 'read_url', { since })).url
    expect(sessionOf(readUrl)).not.toBe(sessionOf(writeUrl))
    await waitFor('the moderator to see bob read-only', () =>
      moderator.received('control', 'update', moderatorSince).some((u) => u.id === ids.bob && (u.protocol as { readonly: boolean }).readonly),
    )
    // The live connection of the old write session is still open but can no longer change the pad.
    writer.doc.getText('content').insert(0, 'after revocation ')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(padText(roomId)).toBe('Beschlüsse: ')
    expect(writer.wsconnected).toBe(true)

    // Leaving closes every pad connection of the participant, the downgraded one included.
    const writerClosed = new Promise<number>((resolve) => writer.ws?.addEventListener('close', (event) => resolve((event as CloseEvent).code)))
    writer.shouldConnect = false
    bobClient.close()
    expect(await writerClosed).toBe(4403)

    // Deselecting someone who does not write changes nothing and sends nothing.
    const carolSince = carolClient.frames.length
    moderator.send('protocol', { action: 'deselect_writer', participant_ids: [ids.carol] })
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.carol] })
    await carolClient.next('protocol', 'write_url', { since: carolSince })
    expect(carolClient.received('protocol', 'read_url', carolSince)).toEqual([])
  })

  it('keeps a writer’s access across a pad reconnect and a rejoin of the room', async () => {
    const { roomId, moderator, bob: bobClient, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob] })
    const writeUrl = (await bobClient.next('protocol', 'write_url')).url
    const first = await padProvider(roomId, writeUrl)
    first.doc.getText('content').insert(0, 'one ')
    await waitFor('the first edit to be stored', () => padText(roomId) === 'one ')

    // The pad page reloads (a new connection with the same session): still a writer.
    first.disconnect()
    const reloaded = await padProvider(roomId, writeUrl)
    reloaded.doc.getText('content').insert(reloaded.doc.getText('content').length, 'two ')
    await waitFor('the edit after the reload', () => padText(roomId) === 'one two ')

    // The meeting tab reloads: leaving ends the session (its pad connection closes), rejoining gives write access back.
    const closed = new Promise<number>((resolve) => reloaded.ws?.addEventListener('close', (event) => resolve((event as CloseEvent).code)))
    bobClient.close()
    expect(await closed).toBe(4403)
    const rejoined = new SignalingClient(server.url, roomId, bob.token)
    clients.push(rejoined)
    await rejoined.join('Bob')
    const again = await padProvider(roomId, (await rejoined.next('protocol', 'write_url')).url)
    again.doc.getText('content').insert(again.doc.getText('content').length, 'three')
    await waitFor('the edit after the rejoin', () => padText(roomId) === 'one two three')

    // The old session is dead: connecting with it is refused.
    const stale = openProvider(syncUrl(server), padDocName(roomId), { params: { token: sessionOf(writeUrl) } })
    providers.push(stale)
    const refused = await new Promise<number>((resolve) => stale.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))
    expect(refused).toBe(4403)
    stale.disconnect()
  })

  it('attributes every pad update and every cursor to the participant who made it', async () => {
    const { roomId, moderator, bob: bobClient, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob, ids.moderator] })
    const bobUrl = (await bobClient.next('protocol', 'write_url')).url
    const bobSession = sessionOf(bobUrl)
    const bobPad = await padProvider(roomId, bobUrl)
    const moderatorPad = await padProvider(roomId, (await moderator.next('protocol', 'write_url')).url)
    bobPad.doc.getText('content').insert(0, 'Bob ')
    await waitFor('bob’s edit', () => padText(roomId) === 'Bob ')
    moderatorPad.doc.getText('content').insert(4, 'Mod')
    await waitFor('the moderator’s edit', () => padText(roomId) === 'Bob Mod')
    // Cursors carry their participant's name: a claim to be someone else is refused.
    bobPad.awareness.setLocalStateField('user', { name: 'Bob', color: '#336699' })
    const namesSeenByModerator = () => [...moderatorPad.awareness.getStates().values()].map((state) => (state.user as { name?: string } | undefined)?.name)
    await waitFor('the moderator to see Bob’s cursor', () => namesSeenByModerator().includes('Bob'))
    bobPad.awareness.setLocalStateField('user', { name: 'Moderator', color: '#336699' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(namesSeenByModerator()).toContain('Bob')
    expect(namesSeenByModerator()).not.toContain('Moderator')

    // Nor can a connection rewrite another client's presence, even under its own name.
    moderatorPad.awareness.setLocalStateField('user', { name: 'Moderator', color: '#993366' })
    const moderatorSeenByBob = () => (bobPad.awareness.getStates().get(moderatorPad.doc.clientID)?.user as { name?: string } | undefined)?.name
    await waitFor('bob to see the moderator’s cursor', () => moderatorSeenByBob() === 'Moderator')
    const impostorDoc = new Y.Doc()
    impostorDoc.clientID = moderatorPad.doc.clientID
    const impostor = new Awareness(impostorDoc)
    for (let clock = 0; clock < 50; clock++) impostor.setLocalState({ user: { name: 'Bob' }, clock })
    const forger = new WebSocket(`${syncUrl(server)}/pad:${roomId}?token=${bobSession}`)
    await new Promise((resolve) => forger.once('open', resolve))
    forger.send(encodeAwarenessMessage(encodeAwarenessUpdate(impostor, [impostorDoc.clientID])))
    // …nor remove it: an entry with the server's clock and no state would delete it for everyone.
    const currentClock = bobPad.awareness.meta.get(moderatorPad.doc.clientID)!.clock
    forger.send(encodeAwarenessMessage(encodeAwarenessEntries([{ clientId: moderatorPad.doc.clientID, clock: currentClock, state: null }])))
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(moderatorSeenByBob()).toBe('Moderator')

    // The same participant may take their client over from a second connection (a reconnect while
    // the old socket lingers) and is not told off for it.
    const bobClientDoc = new Y.Doc()
    bobClientDoc.clientID = bobPad.doc.clientID
    const takeover = new Awareness(bobClientDoc)
    for (let clock = 0; clock < 50; clock++) takeover.setLocalState({ user: { name: 'Bob', color: '#000000' }, clock })
    const frames: Buffer[] = []
    forger.on('message', (data: Buffer) => frames.push(data))
    forger.send(encodeAwarenessMessage(encodeAwarenessUpdate(takeover, [takeover.clientID])))
    await waitFor('the moderator to see bob’s state from the second connection', () =>
      (moderatorPad.awareness.getStates().get(bobPad.doc.clientID)?.user as { color?: string } | undefined)?.color === '#000000',
    )
    // No auth (permission-denied) message: the pad page would lock its editor on one.
    expect(frames.filter((frame) => frame[0] === 2)).toEqual([])
    forger.close()

    const authors = queryDb(dbPath, 'SELECT DISTINCT user_id AS userId FROM doc_update WHERE doc_id = ? ORDER BY seq', padDocName(roomId))
    expect(authors).toEqual([{ userId: ids.bob }, { userId: ids.moderator }])

    // The pad's history reads like a document's, with the participants named.
    const authorship = await fetch(`${server.url}/rooms/${roomId}/pad/authorship`, { headers: { authorization: `Bearer ${bob.token}` } })
    const { data } = (await authorship.json()) as { data: { spans: unknown[]; participants: Record<string, { displayName: string }> } }
    expect(data.spans).toEqual([
      { from: 0, to: 4, userId: ids.bob },
      { from: 4, to: 7, userId: ids.moderator },
    ])
    expect(data.participants[ids.bob]).toMatchObject({ displayName: 'Bob', userId: bob.userId })
    const content = await fetch(`${server.url}/rooms/${roomId}/pad/content?seq=1&format=text`, { headers: { authorization: `Bearer ${adminToken}` } })
    expect(((await content.json()) as { data: { content: string } }).data.content).toBe('Bob ')
    const outsider = await fetch(`${server.url}/rooms/${roomId}/pad/history`, { headers: { authorization: `Bearer ${dave.token}` } })
    expect(outsider.status).toBe(403)
  })
})

describe('protocol: PDF', () => {
  it('renders the pad to a PDF asset every participant is told about, and serves it to participants only', async () => {
    const { roomId, moderator, bob: bobClient, carol: carolClient, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob] })
    const pad = await padProvider(roomId, (await bobClient.next('protocol', 'write_url')).url)
    pad.doc.getText('content').insert(0, 'Tagesordnung\nPunkt 1: Grüße an Jürgen, Ärger über Öl\n')
    await waitFor('the text to be stored', () => padText(roomId).startsWith('Tagesordnung'))

    // Two requests while the first renders share that render: one asset, announced once.
    moderator.sendTogether([
      { namespace: 'protocol', payload: { action: 'generate_pdf' } },
      { namespace: 'protocol', payload: { action: 'generate_pdf' } },
    ])
    const asset = await carolClient.next('protocol', 'pdf_asset')
    expect(asset.filename).toMatch(/^protocol_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d-UTC\.pdf$/)
    expect(await bobClient.next('protocol', 'pdf_asset')).toEqual(asset)
    expect(await moderator.next('protocol', 'pdf_asset')).toEqual(asset)

    const download = await fetch(`${server.url}/assets/${String(asset.asset_id)}`, { headers: { authorization: `Bearer ${carol.token}` } })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('application/pdf')
    const text = await pdfText(new Uint8Array(await download.arrayBuffer()))
    expect(text).toContain('Punkt 1: Grüße an Jürgen, Ärger über Öl')
    expect(text).toContain('Planning')

    const outsider = await fetch(`${server.url}/assets/${String(asset.asset_id)}`, { headers: { authorization: `Bearer ${dave.token}` } })
    expect(outsider.status).toBe(403)
    expect((await fetch(`${server.url}/assets/${String(asset.asset_id)}`)).status).toBe(401)
    expect((await fetch(`${server.url}/assets/${crypto.randomUUID()}`, { headers: { authorization: `Bearer ${carol.token}` } })).status).toBe(404)
    expect((await fetch(`${server.url}/assets/not-an-id`, { headers: { authorization: `Bearer ${carol.token}` } })).status).toBe(400)

    const room = await rpc<{ assets: { id: string; filename: string }[] }>(server.url, 'roomGet', { roomId }, carol.token)
    expect(room.body.success && room.body.data.assets).toEqual([expect.objectContaining({ id: asset.asset_id, filename: asset.filename })])
    expect(carolClient.received('protocol', 'pdf_asset')).toHaveLength(1)
  })
})

describe('protocol: storage quota', () => {
  it('answers storage_exceeded and stores nothing once the room’s quota is used', async () => {
    await withServer({ FOLIO_ROOM_STORAGE_QUOTA_BYTES: '1000' }, async (small) => {
      const { token, roomId, moderator } = await soloWriter(small.url, 'Tiny')
      clients.push(moderator)
      expect(await errorFor(moderator, { action: 'generate_pdf' })).toBe('storage_exceeded')
      expect(moderator.received('protocol', 'pdf_asset')).toEqual([])
      const room = await rpc<{ assets: unknown[] }>(small.url, 'roomGet', { roomId }, token)
      expect(room.body.success && room.body.data.assets).toEqual([])
    })
  })
})

describe('protocol: PDF rendering limits', () => {
  it('answers internal_storage when rendering takes longer than FOLIO_PDF_TIMEOUT_MS, and stores nothing', async () => {
    // A 2,000-line pad takes about 300 ms to lay out (bench:pdf), three times the limit.
    await withServer({ FOLIO_PDF_TIMEOUT_MS: '100' }, async (slow) => {
      const { token, roomId, moderator, writeUrl } = await soloWriter(slow.url, 'Slow')
      clients.push(moderator)
      const pad = await syncedProvider(syncUrl(slow), padDocName(roomId), { params: { token: sessionOf(writeUrl) } })
      providers.push(pad)
      const lines = Array.from({ length: 2_000 }, (_, line) => `Zeile ${line}: Die Teilnehmer besprechen den Haushalt und vertagen die Entscheidung.`)
      pad.doc.getText('content').insert(0, lines.join('\n'))
      await waitFor('the long pad to be stored', () => slow.engine.read(padDocName(roomId), (doc) => doc.getText('content').length) > 100_000)
      const since = moderator.frames.length
      moderator.send('protocol', { action: 'generate_pdf' })
      expect(await moderator.next('protocol', 'error', { since, timeoutMs: 10_000 })).toMatchObject({ error: 'internal_storage' })
      const room = await rpc<{ assets: unknown[] }>(slow.url, 'roomGet', { roomId }, token)
      expect(room.body.success && room.body.data.assets).toEqual([])
    })
  })
})

describe('protocol: failures around joining, deleting and crashing', () => {
  it('keeps a joiner whose pad session cannot be stored as one clean participant, told why', async () => {
    const { roomId, moderator, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob] })
    await moderator.next('protocol', 'read_url')
    const restore = failWrites(dbPath, 'refuse_session', 'BEFORE INSERT ON pad_session')
    const late = new SignalingClient(server.url, roomId, dave.token)
    clients.push(late)
    try {
      const { id } = await late.join('Dave')
      expect(await late.next('protocol', 'error')).toMatchObject({ error: 'failed_to_generate_url' })
      late.send('control', { action: 'join' })
      expect(await late.next('control', 'error')).toMatchObject({ error: 'already_joined' })
      const since = moderator.frames.length
      late.close()
      expect(await moderator.next('control', 'left', { since })).toMatchObject({ id })
      const room = await rpc<{ participants: { id: string }[] }>(server.url, 'roomGet', { roomId }, adminToken)
      expect(room.body.success && room.body.data.participants.map((p) => p.id)).not.toContain(id)
    } finally {
      restore()
    }
  })

  it('deletes the pad with the room: its connections close and its log is gone', async () => {
    const { roomId, moderator, bob: bobClient, ids } = await meeting()
    moderator.send('protocol', { action: 'select_writer', participant_ids: [ids.bob] })
    const pad = await padProvider(roomId, (await bobClient.next('protocol', 'write_url')).url)
    pad.doc.getText('content').insert(0, 'secret minutes')
    await waitFor('the text to be stored', () => padText(roomId) === 'secret minutes')
    const closed = new Promise<number>((resolve) => pad.ws?.addEventListener('close', (event) => resolve((event as CloseEvent).code)))
    pad.shouldConnect = false

    expect((await rpc(server.url, 'roomDelete', { roomId }, adminToken)).body).toMatchObject({ success: true })
    expect(await closed).toBe(4403)
    expect(queryDb(dbPath, 'SELECT count(*) AS n FROM doc_update WHERE doc_id = ?', padDocName(roomId))).toEqual([{ n: 0 }])
    expect(queryDb(dbPath, 'SELECT count(*) AS n FROM doc_checkpoint WHERE doc_id = ?', padDocName(roomId))).toEqual([{ n: 0 }])
    expect(padText(roomId)).toBe('')
  })

  it('ends the sessions of a server that died: after a restart the old pad links grant nothing', async () => {
    const crashDir = tempDir()
    const first = await spawnServer(crashDir.dbPath)
    let writeUrl: string
    try {
      const solo = await soloWriter(first.url, 'Doomed')
      clients.push(solo.moderator)
      writeUrl = solo.writeUrl
      first.child.kill('SIGKILL')
      await first.exited
    } finally {
      first.child.kill('SIGKILL')
    }
    const restarted = await startTestServer(crashDir.dbPath)
    try {
      const entry = await fetch(`${restarted.url}/auth_session${new URL(writeUrl).search}`, { redirect: 'manual' })
      expect(entry.status).toBe(403)
      const stale = openProvider(syncUrl(restarted), padDocName(new URL(writeUrl).searchParams.get('groupID')!), { params: { token: sessionOf(writeUrl) } })
      providers.push(stale)
      expect(await new Promise<number>((resolve) => stale.on('connection-close', (event: CloseEvent | null) => resolve(event?.code ?? 0)))).toBe(4403)
      stale.shouldConnect = false
      expect(queryDb(crashDir.dbPath, 'SELECT left_reason AS reason FROM room_participant')).toEqual([{ reason: 'timeout' }])
    } finally {
      await restarted.close()
      crashDir.remove()
    }
  })
})

describe('protocol: guests', () => {
  it('lets a guest join by link, write when selected, and download the PDF with the link token', async () => {
    const roomId = await createRoom('Open house')
    const link = await rpc<{ token: string }>(server.url, 'roomGuestLinkCreate', { roomId }, adminToken)
    if (!link.body.success) throw new Error(link.body.message)
    const guestToken = link.body.data.token
    const moderator = new SignalingClient(server.url, roomId, adminToken)
    const guest = new SignalingClient(server.url, roomId, guestToken)
    clients.push(moderator, guest)
    await moderator.join()
    const { id } = await guest.join('Gast Müller')
    moderator.send('protocol', { action: 'select_writer', participant_ids: [id] })
    const pad = await padProvider(roomId, (await guest.next('protocol', 'write_url')).url)
    pad.doc.getText('content').insert(0, 'Notiz vom Gast')
    await waitFor('the guest’s text', () => padText(roomId) === 'Notiz vom Gast')

    moderator.send('protocol', { action: 'generate_pdf' })
    const asset = await guest.next('protocol', 'pdf_asset')
    const download = await fetch(`${server.url}/assets/${String(asset.asset_id)}`, { headers: { authorization: `Bearer ${guestToken}` } })
    expect(download.status).toBe(200)
    expect(await pdfText(new Uint8Array(await download.arrayBuffer()))).toContain('Notiz vom Gast')
    const otherRoom = await createRoom('Elsewhere')
    const otherLink = await rpc<{ token: string }>(server.url, 'roomGuestLinkCreate', { roomId: otherRoom }, adminToken)
    if (!otherLink.body.success) throw new Error(otherLink.body.message)
    const wrongLink = await fetch(`${server.url}/assets/${String(asset.asset_id)}`, { headers: { authorization: `Bearer ${otherLink.body.data.token}` } })
    expect(wrongLink.status).toBe(401)
  })
})

describe('protocol: resuming a participation', () => {
  it('brings a guest writer back as the same participant with write access, and ends a still-open old socket', async () => {
    const roomId = await createRoom('Resumable')
    const link = await rpc<{ token: string }>(server.url, 'roomGuestLinkCreate', { roomId }, adminToken)
    if (!link.body.success) throw new Error(link.body.message)
    const moderator = new SignalingClient(server.url, roomId, adminToken)
    const guest = new SignalingClient(server.url, roomId, link.body.data.token)
    clients.push(moderator, guest)
    await moderator.join()
    const first = await guest.join('Gast')
    expect(first.resumption).toMatch(/^[\w-]{43}$/)
    moderator.send('protocol', { action: 'select_writer', participant_ids: [first.id] })
    await guest.next('protocol', 'write_url')

    // The guest's network drops and they come back with the token: same id, still a writer.
    let since = moderator.frames.length
    guest.close()
    await moderator.next('control', 'left', { since })
    const back = new SignalingClient(server.url, roomId, link.body.data.token)
    clients.push(back)
    const resumed = await back.join('Gast', first.resumption)
    expect(resumed.id).toBe(first.id)
    expect(resumed.resumption).not.toBe(first.resumption)
    await back.next('protocol', 'write_url')
    expect(await moderator.next('control', 'joined', { since })).toMatchObject({ id: first.id, protocol: { readonly: false } })

    // Resuming while the old socket still counts as joined ends that socket first.
    since = moderator.frames.length
    const third = new SignalingClient(server.url, roomId, link.body.data.token)
    clients.push(third)
    expect((await third.join('Gast', resumed.resumption)).id).toBe(first.id)
    expect((await back.closed).code).toBe(4000)
    expect(moderator.received('control', 'left', since).map((left) => left.id)).toEqual([first.id])
    expect(moderator.received('control', 'joined', since).map((joined) => joined.id)).toEqual([first.id])

    // A token used once is spent, and one of another identity resumes nothing.
    const bobClient = new SignalingClient(server.url, roomId, bob.token)
    clients.push(bobClient)
    expect((await bobClient.join('Bob', first.resumption)).id).not.toBe(first.id)
  })

  it('resumes nothing once the window has passed', async () => {
    await withServer({ FOLIO_ROOM_RESUME_SECONDS: '0' }, async (strict) => {
      const { token, roomId, moderator } = await soloWriter(strict.url, 'Strict')
      const first = moderator.received('control', 'join_success')[0]!
      moderator.close()
      await moderator.closed
      await new Promise((resolve) => setTimeout(resolve, 20))
      const again = new SignalingClient(strict.url, roomId, token)
      clients.push(again)
      expect((await again.join(undefined, String(first.resumption))).id).not.toBe(first.id)
    })
  })
})
