import type { FolioDatabase } from '../../schema/db/index.js'
import type { Logger } from '../../sync/index.js'
import type { NlpConfig } from '../config.js'
import { getSetting } from '../settings/index.js'

/** The admin settings of the NLP broker; both `onlyAdmin`, so they reach admins' clients only. */
export const nlpSettingKeys = { url: 'service.nlp.url', token: 'service.nlp.token' } as const

/** Which broker to reach, and with which token. */
export interface BrokerTarget {
  url: string | null
  token: string | null
}

/**
 * The broker of the admin settings where they are set, else the one of the environment
 * (`FOLIO_NLP_URL`, `FOLIO_NLP_TOKEN`). A setting that is not an http(s) address is logged and
 * passed over, so a typo by an administrator does not cut every user off the broker.
 */
export async function brokerTarget(db: FolioDatabase, config: NlpConfig, log: Logger): Promise<BrokerTarget> {
  const url = (await getSetting(db, nlpSettingKeys.url))?.trim() ?? ''
  const token = (await getSetting(db, nlpSettingKeys.token))?.trim() ?? ''
  const usable = url !== '' && URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)
  if (url !== '' && !usable) log.warn('nlp.bad_url_setting', { key: nlpSettingKeys.url })
  return { url: usable ? url : config.url, token: token !== '' ? token : config.token }
}
