import type { z } from 'zod'
import { appDataByHashInput, appDataInput, appDataUpdateInput, noInput, subscribeAppDataInput, unsubscribeAppDataInput } from './app.js'
import { annotationEmbedInput, annotationGetInput, annotationUpdateInput, byDocumentInput, collabUpdateInput, commentGetInput, commentUpdateInput, commentVoteInput } from './annotations.js'
import {
  documentAddInput,
  documentCloseInput,
  documentCreateInput,
  documentDataGetInput,
  documentDataSaveInput,
  documentEditInput,
  documentGetAllInput,
  documentGetByHashInput,
  documentGetInput,
  documentOpenInput,
  documentRefInput,
  documentUpdateInput,
} from './documents.js'
import { versionCreateInput, versionListInput, versionRestoreInput } from './history.js'
import { roomCreateInput, roomRefInput } from './rooms.js'
import { appSettingSetInput, settingSaveInput } from './settings.js'
import { studyCloseBulkInput, studyRefInput, studySaveAsTemplateInput, studySessionStartInput } from './studies.js'
import { assignmentEventInputs } from './assignments.js'
import { configurationEventInputs } from './configurations.js'
import { recordEventInputs } from './records.js'
import { moodleEventInputs } from './moodle.js'
import { shareEventInputs } from './shares.js'
import { serviceEventInputs } from './services.js'
import { submissionEventInputs } from './submissions.js'
import {
  roleRefInput,
  userAssignRoleRightsInput,
  userBulkCreateInput,
  userCheckExistsByMailInput,
  userConsentUpdateInput,
  userCreateInput,
  userGetByRoleInput,
  userRefInput,
  userResetPwdInput,
  userUpdateDetailsInput,
} from './users.js'

/**
 * The input schema of every RPC event, by event name: the server defines each event with the
 * schema found here, and the client SDK takes its argument types from the same entry.
 */
export const rpcInputs = {
  appInit: noInput,
  subscribeAppData: subscribeAppDataInput,
  unsubscribeAppData: unsubscribeAppDataInput,
  appDataUpdate: appDataUpdateInput,
  appData: appDataInput,
  appDataByHash: appDataByHashInput,
  appSettingSet: appSettingSetInput,
  settingGetData: noInput,
  settingSave: settingSaveInput,
  documentCreate: documentCreateInput,
  documentAdd: documentAddInput,
  documentGet: documentGetInput,
  documentGetByHash: documentGetByHashInput,
  documentGetDeltas: documentRefInput,
  documentGetData: documentGetInput,
  documentEdit: documentEditInput,
  documentPublish: documentRefInput,
  documentUpdate: documentUpdateInput,
  documentGetAll: documentGetAllInput,
  documentSubscribe: documentOpenInput,
  documentUnsubscribe: documentRefInput,
  documentOpen: documentOpenInput,
  documentClose: documentCloseInput,
  documentDataSave: documentDataSaveInput,
  documentDataGet: documentDataGetInput,
  annotationUpdate: annotationUpdateInput,
  annotationGet: annotationGetInput,
  annotationGetByDocument: byDocumentInput,
  annotationEmbed: annotationEmbedInput,
  commentUpdate: commentUpdateInput,
  commentGet: commentGetInput,
  commentGetByDocument: byDocumentInput,
  commentVote: commentVoteInput,
  commentVoteGetByDocument: byDocumentInput,
  collabUpdate: collabUpdateInput,
  versionCreate: versionCreateInput,
  versionList: versionListInput,
  versionRestore: versionRestoreInput,
  roomCreate: roomCreateInput,
  roomGet: roomRefInput,
  roomDelete: roomRefInput,
  roomGuestLinkCreate: roomRefInput,
  studySaveAsTemplate: studySaveAsTemplateInput,
  studyCloseBulk: studyCloseBulkInput,
  studySessionStart: studySessionStartInput,
  studySessionSubscribe: studyRefInput,
  studySessionUnsubscribe: studyRefInput,
  userCreate: userCreateInput,
  userBulkCreate: userBulkCreateInput,
  userGetByRole: userGetByRoleInput,
  userGetDetails: userRefInput,
  userGetRight: userRefInput,
  userUpdateDetails: userUpdateDetailsInput,
  userResetPwd: userResetPwdInput,
  userConsentUpdate: userConsentUpdateInput,
  userCheckExistsByMail: userCheckExistsByMailInput,
  userGetRoleBasedRights: roleRefInput,
  userGetAllRights: noInput,
  userAssignRoleRights: userAssignRoleRightsInput,
  ...assignmentEventInputs,
  ...submissionEventInputs,
  ...configurationEventInputs,
  ...recordEventInputs,
  ...moodleEventInputs,
  ...shareEventInputs,
  ...serviceEventInputs,
} as const satisfies Record<string, z.ZodType>

export type RpcEventName = keyof typeof rpcInputs
/** What a caller passes to `event` (before defaults are applied). */
export type RpcInput<E extends RpcEventName> = z.input<(typeof rpcInputs)[E]>
