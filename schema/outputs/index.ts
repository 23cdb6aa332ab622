/** The answers of the RPC events (`rpcOutputs`, beside `rpcInputs`) and the table rows they carry. */
export { rpcOutputs, type RpcOutput } from './rpcEvents.js'
export { backgroundTaskState, type BackgroundTaskState, serviceRefresh, type ServiceRefresh, skillEntry } from './services.js'
export {
  configurationRow,
  documentDataRow,
  documentRow,
  logRow,
  roomParticipantSummary,
  roomRow,
  settingRow,
  statisticRow,
  studyRow,
  studySessionRow,
  submissionRow,
  tagRow,
  userRow,
  versionRow,
} from './rows.js'
export { shareListing, shareRow } from './shares.js'
