import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RoomEvent } from '../../clients/index.js'
import { type Harness, startHarness, waitFor } from './harness.js'

describe('client SDK: joinRoom', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  it('joins, keeps the participant list, hands out pad links and runs moderator commands', async () => {
    const admin = await h.admin()
    const bob = await h.user('bob')
    const { id: roomId } = (await admin.rpc('roomCreate', { title: 'SDK sync' })) as { id: string }

    const moderatorRoom = admin.joinRoom(roomId, { displayName: 'Moderator' })
    await moderatorRoom.whenJoined()
    expect(moderatorRoom.role).toBe('moderator')
    const bobRoom = bob.joinRoom(roomId)
    await bobRoom.whenJoined()
    expect([...bobRoom.participants.values()].map((p) => p.control.display_name)).toEqual(['Moderator'])
    await waitFor('the moderator to see bob', () => moderatorRoom.participants.has(bobRoom.participantId!))

    const pdfs: RoomEvent[] = []
    bobRoom.on('pdf_asset', (event) => pdfs.push(event))
    moderatorRoom.selectWriters([bobRoom.participantId!])
    await waitFor('bob’s write link', () => bobRoom.pad?.access === 'write')
    expect(bobRoom.pad!.url).toContain(`groupID=${roomId}`)
    await waitFor('the moderator to see bob write', () => moderatorRoom.participants.get(bobRoom.participantId!)?.protocol?.readonly === false)
    await waitFor('the moderator’s read link', () => moderatorRoom.pad?.access === 'read')

    moderatorRoom.generatePdf()
    await waitFor('the pdf_asset event', () => pdfs.length === 1)
    expect(pdfs[0]!.payload.filename).toMatch(/^protocol_.*-UTC\.pdf$/)

    const errors: RoomEvent[] = []
    bobRoom.on('error', (event) => errors.push(event))
    bobRoom.generatePdf()
    await waitFor('bob’s error', () => errors.length === 1)
    expect(errors[0]).toMatchObject({ namespace: 'protocol', payload: { error: 'insufficient_permissions' } })

    const closed: number[] = []
    bobRoom.on('closed', ({ code }) => closed.push(code))
    await bob.logout()
    await waitFor('bob’s room to close on logout', () => closed.length === 1)
    await waitFor('the moderator to see bob leave', () => moderatorRoom.participants.size === 0)
  })

  it('joins as a guest with a guest link, and reports a refused join', async () => {
    const admin = await h.admin()
    const { id: roomId } = (await admin.rpc('roomCreate', { title: 'Open' })) as { id: string }
    const { token } = (await admin.rpc('roomGuestLinkCreate', { roomId })) as { token: string }
    const visitor = h.client()
    const guestRoom = visitor.joinRoom(roomId, { guestToken: token, displayName: 'Visitor' })
    await guestRoom.whenJoined()
    expect(guestRoom.role).toBe('guest')

    // The guest's socket closes; with the resumption token they come back as the same participant.
    const closed = new Promise<number>((resolve) => guestRoom.on('closed', ({ code }) => resolve(code)))
    guestRoom.close()
    expect(await closed).toBe(1000)
    const back = visitor.joinRoom(roomId, { guestToken: token, displayName: 'Visitor', resumption: guestRoom.resumption! })
    await back.whenJoined()
    expect(back.participantId).toBe(guestRoom.participantId)

    const badName = visitor.joinRoom(roomId, { guestToken: token, displayName: 'x'.repeat(101) })
    await expect(badName.whenJoined(60_000)).rejects.toThrow(/invalid_username/)
    badName.close()

    const refused = visitor.joinRoom(roomId, { guestToken: 'not-a-link' })
    const closes: number[] = []
    refused.on('closed', ({ code }) => closes.push(code))
    await expect(refused.whenJoined()).rejects.toThrow(/4401/)
    expect(closes).toEqual([4401])
  })
})
