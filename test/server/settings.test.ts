import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FolioServer } from '../../server/index.js'
import { adminPassword, login, registerAndLogin, rpc } from '../helpers/accounts.js'
import { startTestServer, tempDir } from '../helpers/server.js'

const smtpPassword = 'system.mailService.smtp.auth.pass'

describe('settings', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer
  let admin: string
  let ann: { token: string; userId: number }

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
    admin = await login(server.url, 'admin', adminPassword)
    ann = await registerAndLogin(server.url, 'ann')
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  const call = async <T = unknown>(event: string, data: unknown, token: string): Promise<T> => {
    const { body } = await rpc<T>(server.url, event, data, token)
    if (!body.success) throw new Error(`${event} failed: ${body.message}`)
    return body.data
  }
  const appSettingsOf = async (token: string) => (await call<{ appSettings: Record<string, string> }>('appInit', {}, token)).appSettings
  const globalSettings = async () => new Map((await call<{ key: string; value: string; onlyAdmin: boolean }[]>('settingGetData', {}, admin)).map((row) => [row.key, row]))

  it('gives admins every setting, admin-only ones included, and refuses settingGetData and settingSave to others', async () => {
    expect((await globalSettings()).get(smtpPassword)).toMatchObject({ onlyAdmin: true })
    expect(await rpc(server.url, 'settingGetData', {}, ann.token)).toEqual({ status: 403, body: { success: false, message: 'only administrators may do this' } })
    const refused = await rpc(server.url, 'settingSave', [{ key: 'annotator.collab', value: 'false' }], ann.token)
    expect(refused.status).toBe(403)
    expect((await globalSettings()).get('annotator.collab')).toMatchObject({ value: 'true' })
  })

  it('saves global settings for admins, creating new keys and storing values as text', async () => {
    expect(await call('settingSave', [{ key: 'annotator.collab', value: false }, { key: 'tags.colour', value: 'blue' }], admin)).toBeNull()
    const settings = await globalSettings()
    expect(settings.get('annotator.collab')).toMatchObject({ value: 'false', onlyAdmin: false })
    expect(settings.get('tags.colour')).toMatchObject({ value: 'blue' })
    expect(await appSettingsOf(ann.token)).toMatchObject({ 'annotator.collab': 'false', 'tags.colour': 'blue' })

    const invalid = await rpc(server.url, 'settingSave', [{ key: '', value: 'x' }], admin)
    expect(invalid).toEqual({ status: 400, body: { success: false, message: expect.stringMatching(/^invalid input: 0\.key: /) } })
  })

  it("overlays a user's own settings on the global ones, for that user only", async () => {
    expect(await call('appSettingSet', { key: 'editor.edits.debounceTime', value: 300 }, ann.token)).toBeNull()
    expect(await call('appSettingSet', { key: 'projects.default', value: '7' }, ann.token)).toBeNull()
    expect(await appSettingsOf(ann.token)).toMatchObject({ 'editor.edits.debounceTime': '300', 'projects.default': '7' })
    const adminSettings = await appSettingsOf(admin)
    expect(adminSettings['editor.edits.debounceTime']).toBe('150')
    expect(adminSettings).not.toHaveProperty(['projects.default'])
    // Setting it again replaces the override.
    await call('appSettingSet', { key: 'editor.edits.debounceTime', value: '200' }, ann.token)
    expect((await appSettingsOf(ann.token))['editor.edits.debounceTime']).toBe('200')
  })

  it('lets admins set a user’s setting, and nobody else', async () => {
    await call('appSettingSet', { key: 'projects.default', value: '3', userId: ann.userId }, admin)
    expect((await appSettingsOf(ann.token))['projects.default']).toBe('3')

    const adminId = (await call<{ appUser: { id: number } }>('appInit', {}, admin)).appUser.id
    const forOther = await rpc(server.url, 'appSettingSet', { key: 'projects.default', value: '4', userId: adminId }, ann.token)
    expect(forOther).toEqual({ status: 403, body: { success: false, message: "only administrators may change another user's settings" } })
    expect(await appSettingsOf(admin)).not.toHaveProperty(['projects.default'])
    const unknownUser = await rpc(server.url, 'appSettingSet', { key: 'projects.default', value: '4', userId: 9999 }, admin)
    expect(unknownUser).toEqual({ status: 404, body: { success: false, message: 'user 9999 does not exist' } })
  })

  it('never sends admin-only settings to other users, not even their own overrides of them', async () => {
    await call('settingSave', [{ key: smtpPassword, value: 'hunter2' }], admin)
    expect((await appSettingsOf(admin))[smtpPassword]).toBe('hunter2')
    const refused = await rpc(server.url, 'appSettingSet', { key: smtpPassword, value: 'mine' }, ann.token)
    expect(refused).toEqual({ status: 403, body: { success: false, message: `setting "${smtpPassword}" is reserved to administrators` } })
    await call('appSettingSet', { key: smtpPassword, value: 'set by admin', userId: ann.userId }, admin)
    const annInit = await rpc(server.url, 'appInit', {}, ann.token)
    expect(JSON.stringify(annInit.body)).not.toMatch(/hunter2|set by admin|smtp/)
  })
})
