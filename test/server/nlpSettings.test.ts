import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ServiceRefresh } from '../../schema/index.js'
import { waitFor } from '../helpers/clients.js'
import type { EventsConnection } from '../helpers/events.js'
import { useEventsServer } from '../helpers/eventsServer.js'
import { TestBroker } from '../helpers/nlpBroker.js'

const token = 'settings-broker-token-7d21'
const refreshes = (events: EventsConnection, type: ServiceRefresh['type']) =>
  events.pushes.filter((push) => push.event === 'serviceRefresh' && (push.data as ServiceRefresh).type === type).map((push) => (push.data as ServiceRefresh).data)

// No FOLIO_NLP_URL: the broker is named by an administrator, in the service.nlp.* settings.
describe('the NLP broker named in the admin settings', () => {
  const live = useEventsServer()
  let broker: TestBroker
  beforeAll(async () => {
    broker = await TestBroker.start({ token, skills: [{ name: 'sentiment', nodes: 1 }] })
  })
  afterAll(() => broker.stop())

  it('is reached once an admin sets service.nlp.url and service.nlp.token, at the next serviceConnect; users never see the token', async () => {
    const user = await live.connectUser('nlp-settings-user')
    await user.events.ok('serviceConnect', { service: 'NLPService' })
    expect(refreshes(user.events, 'isAlive').at(-1)).toBe(false)
    expect(broker.connections).toBe(0)

    const admin = await live.connectAdmin()
    await admin.ok('settingSave', [
      { key: 'service.nlp.url', value: broker.url },
      { key: 'service.nlp.token', value: token },
    ])
    await user.events.ok('serviceConnect', { service: 'NLPService' })
    await waitFor('the server reaching the broker of the settings', () => broker.connections === 1)
    await waitFor('the broker skills', () => (refreshes(user.events, 'skillUpdate').at(-1) as { name: string }[] | undefined)?.some((skill) => skill.name === 'sentiment') === true)
    await user.events.ok('appInit')
    expect(user.events.texts.some((text) => text.includes(token))).toBe(false)

    // A wrong token in the settings: the broker refuses it, and the server is no longer connected.
    await admin.ok('settingSave', [{ key: 'service.nlp.token', value: 'not-the-token' }])
    await user.events.ok('serviceConnect', { service: 'NLPService' })
    await waitFor('the old connection to end', () => broker.connections === 0)
    await waitFor('the users told', () => refreshes(user.events, 'isAlive').at(-1) === false)
  })
})
