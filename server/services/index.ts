import type { FolioDatabase } from '../../schema/db/index.js'
/** The services behind the service events: the NLP broker's skills (`NLPService`) and the admins' background tasks over them. */
import type { Logger, SyncEngine } from '../../sync/index.js'
import type { SessionUser } from '../auth/index.js'
import type { NlpConfig } from '../config.js'
import type { FileStore } from '../documents/index.js'
import type { EventHub } from '../events/index.js'
import type { TableChange } from '../rpc/index.js'
import { BackgroundTaskService } from './BackgroundTaskService.js'
import { loadFallbackSkills } from './fallbackSkills.js'
import { NlpBroker } from './NlpBroker.js'
import { brokerTarget } from './nlpSettings.js'
import { NlpService } from './NlpService.js'
import type { Service } from './Service.js'
import { SkillInputs } from './skillInputs.js'

export { registerServiceEvents } from './rpc.js'
export type { Service } from './Service.js'

export interface ServicesDeps {
  config: NlpConfig
  db: FolioDatabase
  engine: SyncEngine
  files: FileStore
  hub: EventHub
  publish: (changes: TableChange[], writer: SessionUser) => Promise<void>
  log: Logger
}

/** The services, with the broker connection started; `close` stops the background task and disconnects. */
export function startServices({ config, db, engine, files, hub, publish, log }: ServicesDeps): { services: Service[]; close(): Promise<void> } {
  const broker = new NlpBroker(config, log)
  const inputs = new SkillInputs(engine, files)
  const nlp = new NlpService(broker, inputs, loadFallbackSkills(config.fallbackDir, log), config, hub, log)
  const background = new BackgroundTaskService({ nlp, inputs, publish, hub, log })
  broker.start()
  void brokerTarget(db, config, log).then((target) => broker.retarget(target), (error: unknown) => log.error('nlp.settings_unreadable', { error: String(error) }))
  const services: Service[] = [nlp, background]
  return {
    services,
    close: async () => {
      await background.close()
      await nlp.close()
    },
  }
}
