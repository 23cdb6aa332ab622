/** The answers of the RPC events (`rpcOutputs`, beside `rpcInputs`) and the table rows they carry. */
export { rpcOutputs, type RpcOutput } from './rpcEvents.js'
export { documentDataRow, documentRow, roomParticipantSummary, roomRow, settingRow, studyRow, studySessionRow, tagRow, userRow, versionRow } from './rows.js'
