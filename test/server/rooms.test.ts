import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { SerialTransactions } from '../../sync/index.js'
import { rpc } from '../helpers/accounts.js'
import { withServer } from '../helpers/server.js'
import { createRoom as createRoomAs, queryDb, type Room, soloWriter, startServerWithUsers, type TestUser } from '../helpers/rooms.js'
import { SignalingClient } from '../helpers/signaling.js'

let server: FolioServer
let dbPath: string
let adminToken: string
let bob: TestUser
let carol: TestUser
let stop: () => Promise<void>
const clients: SignalingClient[] = []

beforeAll(async () => {
  ;({ server, dbPath, adminToken, stop, users: { bob, carol } } = await startServerWithUsers(['bob', 'carol']))
})

afterAll(async () => {
  for (const client of clients) client.close()
  await stop()
})

function createRoom(token = adminToken, title = 'Weekly sync'): Promise<Room> {
  return createRoomAs(server.url, token, title)
}

function connect(roomId: string, token?: string): SignalingClient {
  const client = new SignalingClient(server.url, roomId, token)
  clients.push(client)
  return client
}

describe('rooms over RPC', () => {
  it('creates a room owned by the caller, readable by its owner and participants only', async () => {
    const room = await createRoom(bob.token, 'Bob’s retro')
    expect(room).toMatchObject({ title: 'Bob’s retro', createdBy: bob.userId })
    expect(room.id).toMatch(/^[0-9a-f-]{36}$/)

    const byOwner = await rpc<{ participants: unknown[]; assets: unknown[] }>(server.url, 'roomGet', { roomId: room.id }, bob.token)
    expect(byOwner.body).toMatchObject({ success: true, data: { id: room.id, participants: [], assets: [] } })

    const byStranger = await rpc(server.url, 'roomGet', { roomId: room.id }, carol.token)
    expect(byStranger.status).toBe(403)

    const carolClient = connect(room.id, carol.token)
    await carolClient.join('Carol')
    const afterJoining = await rpc<{ participants: { displayName: string }[] }>(server.url, 'roomGet', { roomId: room.id }, carol.token)
    expect(afterJoining.body.success && afterJoining.body.data.participants.map((p) => p.displayName)).toEqual(['Carol'])
  })

  it('validates inputs and refuses unknown rooms', async () => {
    expect((await rpc(server.url, 'roomCreate', { title: '' }, adminToken)).body).toMatchObject({ success: false, message: expect.stringContaining('title') })
    expect((await rpc(server.url, 'roomGet', { roomId: 'not-a-uuid' }, adminToken)).body).toMatchObject({ success: false, message: expect.stringContaining('roomId') })
    const unknown = await rpc(server.url, 'roomGet', { roomId: '00000000-0000-4000-8000-000000000000' }, adminToken)
    expect(unknown.status).toBe(404)
    expect((await rpc(server.url, 'roomCreate', { title: 'x' })).status).toBe(401)
  })

  it('lets only the owner (or an admin) delete a room, and ends it for everyone in it', async () => {
    const room = await createRoom(bob.token)
    const carolClient = connect(room.id, carol.token)
    await carolClient.join('Carol')
    expect((await rpc(server.url, 'roomDelete', { roomId: room.id }, carol.token)).status).toBe(403)

    const deleted = await rpc(server.url, 'roomDelete', { roomId: room.id }, bob.token)
    expect(deleted.body).toMatchObject({ success: true })
    await carolClient.next('control', 'room_deleted')
    expect((await carolClient.closed).code).toBe(1000)
    expect((await rpc(server.url, 'roomGet', { roomId: room.id }, bob.token)).status).toBe(404)
  })
})

describe('signaling: who may connect', () => {
  it('closes upgrades with a bad room id, an unknown room, or no valid token, with reasons', async () => {
    const room = await createRoom()
    const badId = connect('not-a-room')
    expect(await badId.closed).toMatchObject({ code: 4400, reason: expect.stringContaining('room id') })
    const unknown = connect('00000000-0000-4000-8000-000000000000', adminToken)
    expect((await unknown.closed).code).toBe(4404)
    const anonymous = connect(room.id)
    expect(await anonymous.closed).toMatchObject({ code: 4401, reason: expect.stringContaining('token') })
    const forged = connect(room.id, 'forged-token')
    expect((await forged.closed).code).toBe(4401)
  })

  it('lets guests in through a guest link of that room only, as guests', async () => {
    const room = await createRoom()
    const other = await createRoom()
    expect((await rpc(server.url, 'roomGuestLinkCreate', { roomId: room.id }, carol.token)).status).toBe(403)
    const link = await rpc<{ token: string }>(server.url, 'roomGuestLinkCreate', { roomId: room.id }, adminToken)
    if (!link.body.success) throw new Error(link.body.message)

    const guest = connect(room.id, link.body.data.token)
    const joined = await guest.join('Visitor')
    expect(joined).toMatchObject({ display_name: 'Visitor', role: 'guest', is_room_owner: false })
    // Two present participants never share a name (their cursors are told apart by it).
    const twin = connect(room.id, link.body.data.token)
    expect(await twin.join('Visitor')).toMatchObject({ display_name: 'Visitor (2)' })

    const elsewhere = connect(other.id, link.body.data.token)
    expect((await elsewhere.closed).code).toBe(4401)
  })
})

describe('signaling: the control namespace', () => {
  it('answers join_success, tells the others joined, update and left', async () => {
    const room = await createRoom()
    const moderator = connect(room.id, adminToken)
    const own = await moderator.join('Ada')
    expect(own).toMatchObject({
      message: 'join_success',
      display_name: 'Ada',
      role: 'moderator',
      is_room_owner: true,
      participants: [],
      room_info: { id: room.id, title: 'Weekly sync' },
      protocol: { status: 'not_initialized' },
    })
    const frame = moderator.frames.at(-1)!
    expect(frame.namespace).toBe('control')
    expect(frame.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    const bobClient = connect(room.id, bob.token)
    const bobJoin = await bobClient.join()
    expect(bobJoin).toMatchObject({ display_name: 'bob', role: 'user', participants: [{ id: own.id, control: { display_name: 'Ada', role: 'moderator', is_room_owner: true } }] })
    expect(await moderator.next('control', 'joined')).toMatchObject({ id: bobJoin.id, control: { display_name: 'bob', role: 'user', participation_kind: 'user' } })

    bobClient.close()
    expect(await moderator.next('control', 'left')).toEqual({ message: 'left', id: bobJoin.id, reason: 'quit' })
  })

  it('answers each kind of bad frame with its control error and keeps the connection', async () => {
    const room = await createRoom()
    const client = connect(room.id, bob.token)
    await client.opened
    const errorAfter = async (send: () => void) => {
      const since = client.frames.length
      send()
      return client.next('control', 'error', { since })
    }
    expect(await errorAfter(() => client.sendRaw('{not json'))).toMatchObject({ error: 'invalid_json' })
    expect(await errorAfter(() => client.sendRaw(Buffer.from([1, 2, 3])))).toMatchObject({ error: 'invalid_json', detail: expect.stringContaining('binary') })
    expect(await errorAfter(() => client.sendRaw(JSON.stringify({ namespace: 'control' })))).toMatchObject({ error: 'invalid_json', detail: expect.stringContaining('payload') })
    expect(await errorAfter(() => client.send('control', { action: 'dance' }))).toMatchObject({ error: 'invalid_json', detail: expect.stringContaining('action') })
    expect(await errorAfter(() => client.send('control', { action: 'join', display_name: 42 }))).toMatchObject({ error: 'invalid_json', detail: expect.stringContaining('display_name') })
    expect(await errorAfter(() => client.send('chat', { action: 'send_message' }))).toMatchObject({ error: 'invalid_namespace' })
    expect(await errorAfter(() => client.send('protocol', { action: 'generate_pdf' }))).toMatchObject({ error: 'not_yet_joined' })
    expect(await errorAfter(() => client.send('control', { action: 'grant_moderator_role', target: crypto.randomUUID() }))).toMatchObject({ error: 'not_yet_joined' })
    expect(await errorAfter(() => client.send('control', { action: 'join', display_name: 'x'.repeat(101) }))).toMatchObject({ error: 'invalid_username' })

    await client.join('Bob')
    expect(await errorAfter(() => client.send('control', { action: 'join' }))).toMatchObject({ error: 'already_joined' })
  })

  it('closes a frame over the signaling size limit with 1009 and the others see the participant leave', async () => {
    const room = await createRoom()
    const moderator = connect(room.id, adminToken)
    await moderator.join()
    const client = connect(room.id, bob.token)
    const { id } = await client.join()
    client.send('control', { action: 'join', display_name: 'x'.repeat(100_000) })
    expect((await client.closed).code).toBe(1009)
    expect(await moderator.next('control', 'left')).toMatchObject({ id, reason: 'timeout' })
  })

  it('lets moderators grant and revoke the moderator role, never the owner’s', async () => {
    const room = await createRoom()
    const owner = connect(room.id, adminToken)
    const ownerJoin = await owner.join('Owner')
    const bobClient = connect(room.id, bob.token)
    const bobJoin = await bobClient.join('Bob')
    const carolClient = connect(room.id, carol.token)
    const carolJoin = await carolClient.join('Carol')

    let since = bobClient.frames.length
    bobClient.send('control', { action: 'grant_moderator_role', target: carolJoin.id })
    expect(await bobClient.next('control', 'error', { since })).toMatchObject({ error: 'insufficient_permissions' })

    since = carolClient.frames.length
    owner.send('control', { action: 'grant_moderator_role', target: bobJoin.id })
    expect(await owner.next('control', 'moderator_role_granted')).toEqual({ message: 'moderator_role_granted', target: bobJoin.id })
    expect(await bobClient.next('control', 'role_updated')).toEqual({ message: 'role_updated', new_role: 'moderator' })
    expect(await carolClient.next('control', 'update', { since })).toMatchObject({ id: bobJoin.id, control: { role: 'moderator' } })

    since = bobClient.frames.length
    bobClient.send('control', { action: 'revoke_moderator_role', target: ownerJoin.id })
    expect(await bobClient.next('control', 'error', { since })).toMatchObject({ error: 'target_is_room_owner' })
    since = bobClient.frames.length
    bobClient.send('control', { action: 'grant_moderator_role', target: ownerJoin.id })
    expect(await bobClient.next('control', 'error', { since })).toMatchObject({ error: 'nothing_to_do' })

    owner.send('control', { action: 'revoke_moderator_role', target: bobJoin.id })
    expect(await bobClient.next('control', 'role_updated', { since })).toEqual({ message: 'role_updated', new_role: 'user' })

    // The role is kept with the participation: granted again, it survives a rejoin.
    since = bobClient.frames.length
    owner.send('control', { action: 'grant_moderator_role', target: bobJoin.id })
    expect(await bobClient.next('control', 'role_updated', { since })).toEqual({ message: 'role_updated', new_role: 'moderator' })
    bobClient.close()
    await owner.next('control', 'left')
    const again = connect(room.id, bob.token)
    expect(await again.join('Bob')).toMatchObject({ role: 'moderator' })
  })
})

describe('signaling writes beside RPC transactions', () => {
  it('keeps a join made while an RPC transaction is open, when that transaction rolls back', async () => {
    const room = await createRoom()
    // An RPC's transaction on the server's connection, open across an await until the test ends it with a failure.
    let rollBack!: () => void
    const open = SerialTransactions.of(server.db).transaction(async () => {
      await new Promise<void>((resolve) => (rollBack = resolve))
      throw new Error('the call failed')
    })
    const client = connect(room.id, bob.token)
    const joining = client.join('Bob')
    // Time for the join to reach the server while the transaction is open.
    await new Promise((resolve) => setTimeout(resolve, 200))
    rollBack()
    await expect(open).rejects.toThrow('the call failed')
    const { id } = await joining
    expect(queryDb(dbPath, 'SELECT id, left_at AS leftAt FROM room_participant WHERE room_id = ?', room.id)).toEqual([{ id, leftAt: null }])
  })

  it('takes one socket’s frames in order: a command right after join finds it joined, a close right after it ends the participation', async () => {
    const room = await createRoom()
    const owner = connect(room.id, adminToken)
    await owner.opened
    owner.sendTogether([
      { namespace: 'control', payload: { action: 'join' } },
      { namespace: 'control', payload: { action: 'grant_moderator_role', target: crypto.randomUUID() } },
    ])
    expect(await owner.next('control', 'error')).toMatchObject({ error: 'nothing_to_do' })

    // Bob's join waits for the write turn of an open transaction; his socket closes meanwhile.
    let commit!: () => void
    const open = SerialTransactions.of(server.db).transaction(() => new Promise<void>((resolve) => (commit = resolve)))
    const bobClient = connect(room.id, bob.token)
    await bobClient.opened
    bobClient.send('control', { action: 'join', display_name: 'Bob' })
    await new Promise((resolve) => setTimeout(resolve, 100))
    bobClient.close()
    await bobClient.closed
    commit()
    await open
    const joined = await owner.next('control', 'joined')
    expect(await owner.next('control', 'left')).toMatchObject({ id: joined.id, reason: 'quit' })
    expect(queryDb(dbPath, 'SELECT left_reason AS reason FROM room_participant WHERE id = ?', joined.id)).toEqual([{ reason: 'quit' }])
  })
})

describe('signaling: limits and shutdown', () => {
  it('drops commands past the rate limit with rate_limit_exceeded, and ends participations when the server stops', async () => {
    await withServer({ FOLIO_SIGNALING_COMMANDS_PER_SECOND: '2' }, async (limited, dbPath) => {
      const { moderator: client } = await soloWriter(limited.url, 'Busy')
      clients.push(client)
      for (let i = 0; i < 10; i++) client.send('protocol', { action: 'deselect_writer', participant_ids: [crypto.randomUUID()] })
      await client.next('control', 'rate_limit_exceeded')
      // The burst is 4 and the join and the selection took 2; refilling at 2/s may add one more.
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(client.received('protocol', 'error').length).toBeLessThanOrEqual(3)
      expect(client.received('control', 'rate_limit_exceeded').length).toBeGreaterThanOrEqual(7)

      await limited.close()
      expect(await client.closed).toMatchObject({ code: 1001 })
      expect(queryDb(dbPath, 'SELECT left_reason AS reason FROM room_participant')).toEqual([{ reason: 'quit' }])
    })
  })
})
