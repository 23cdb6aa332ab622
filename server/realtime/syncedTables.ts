import { manageSubmissionsRight, studiesFullAccessRight, type SyncedTableName, userPrivateInfoRight } from '../../schema/index.js'
import { commentState, configuration, document, documentData, navElement, navGroup, project, roleRightMatching, share, study, studySession, studyStep, submission, tag, tagSet, user, userEnvironment, userRight, userRole, userRoleMatching, workflow, workflowStep } from '../../schema/db/index.js'
import type { Permissions, StudyScope } from '../access/index.js'
import { type UserRow, userSecretColumns, withoutSecrets } from '../auth/index.js'
import { type ColumnCondition, equal, type RowFilter, type RowSet } from './rowSets.js'
import { SyncedTable } from './SyncedTable.js'

const everyRow: RowSet = 'all'
const ownedBy = (can: Permissions, column: string): RowSet => [[equal(column, can.user.id)]]
const ownOrPublic = (can: Permissions): RowFilter[] => [[equal('userId', can.user.id)], [equal('public', true)]]
const oneOf = (key: string, values: readonly number[]): ColumnCondition => ({ key, is: 'oneOf', values })
/** Rows whose `key` is one of `ids`; no filter at all when there are none. */
const withIdIn = (key: string, ids: readonly number[]): RowFilter[] => (ids.length === 0 ? [] : [[oneOf(key, [...new Set(ids)])]])

/**
 * The study tables follow the original's scoping: the studies full-access right sees every
 * study, step and session; owners see their studies with all their steps and sessions;
 * participants see the studies they have a session in with their steps, their own sessions,
 * and in a collaborative study every session of it.
 */
/** Rows of tag sets the caller may see by a share: the tag set's rows (`id`) or its tags' (`tagSetId`). */
const sharedTagSets = async (can: Permissions, key: 'id' | 'tagSetId'): Promise<RowFilter[]> => withIdIn(key, [...(await can.shareScope()).tagSets.keys()])

const studyRule =
  (rule: (can: Permissions, scope: StudyScope) => RowSet | Promise<RowSet>) =>
  async (can: Permissions): Promise<RowSet> =>
    can.hasRight(studiesFullAccessRight) ? everyRow : rule(can, await can.studyScope())

/**
 * The auto-synced tables and their rules for non-admins (admins see and write every row).
 * The role and right catalogue is readable by every signed-in user, because clients show
 * role names and check rights by name; only admins change it.
 */
export const syncedTables: Record<SyncedTableName, SyncedTable> = {
  document: new SyncedTable({
    name: 'document',
    table: document,
    owner: 'userId',
    writers: 'owner',
    // The stored file is set by documentAdd only, so its hash always names the bytes it stored.
    readOnly: ['hash', 'fileHash', 'fileSize', 'uploadedByUserId'],
    // As Permissions.documentAccess: public rows, own rows, the documents of the steps of one's
    // studies and those shared with one or one's roles, and all rows for the studies full-access right.
    visibleTo: studyRule(async (can, scope) => [
      [equal('userId', can.user.id)],
      [equal('public', true)],
      ...withIdIn('id', [...scope.stepDocuments, ...(await can.shareScope()).documents.keys()]),
    ]),
  }),
  // Each user's data about documents (the original's autoTable rule): owners see their rows, and
  // write them only for documents they may edit, as documentDataSave does.
  document_data: new SyncedTable({
    name: 'document_data',
    table: documentData,
    owner: 'userId',
    writers: 'owner',
    parent: { table: 'document', by: 'documentId' },
    visibleTo: (can) => ownedBy(can, 'userId'),
  }),
  tag_set: new SyncedTable({
    name: 'tag_set',
    table: tagSet,
    owner: 'userId',
    writers: 'owner',
    children: [{ field: 'tags', table: 'tag', cascade: ['deleted', 'public'] }],
    // Shared tag sets are seen (and their tags used in annotations) by every share role; only owners write them.
    visibleTo: async (can) => [...ownOrPublic(can), ...(await sharedTagSets(can, 'id'))],
  }),
  tag: new SyncedTable({
    name: 'tag',
    table: tag,
    owner: 'userId',
    writers: 'owner',
    parent: { table: 'tag_set', by: 'tagSetId' },
    visibleTo: async (can) => [...ownOrPublic(can), ...(await sharedTagSets(can, 'tagSetId'))],
  }),
  user: new SyncedTable({
    name: 'user',
    table: user,
    writers: 'admin',
    // A generic insert would make an account without password or roles.
    createRefusal: 'accounts are created by POST /auth/register',
    readOnly: ['lastLoginAt', 'acceptedAt'],
    secrets: { columns: userSecretColumns, strip: (row) => withoutSecrets(row as Partial<UserRow>) },
    // Other users' rows carry names, email and external id, so only the private-info right shows them (as in the original's accessMap).
    visibleTo: (can) => (can.hasRight(userPrivateInfoRight) ? everyRow : ownedBy(can, 'id')),
  }),
  user_role: new SyncedTable({ name: 'user_role', table: userRole, writers: 'admin', visibleTo: () => everyRow }),
  user_right: new SyncedTable({ name: 'user_right', table: userRight, writers: 'admin', visibleTo: () => everyRow }),
  user_role_matching: new SyncedTable({
    name: 'user_role_matching',
    table: userRoleMatching,
    owner: 'userId',
    writers: 'admin',
    visibleTo: (can) => ownedBy(can, 'userId'),
  }),
  role_right_matching: new SyncedTable({ name: 'role_right_matching', table: roleRightMatching, writers: 'admin', visibleTo: () => everyRow }),
  project: new SyncedTable({ name: 'project', table: project, owner: 'userId', writers: 'owner', visibleTo: ownOrPublic }),
  // Workflows are the catalogue studies are built from: everyone reads them, admins change them.
  workflow: new SyncedTable({
    name: 'workflow',
    table: workflow,
    writers: 'admin',
    children: [{ field: 'steps', table: 'workflow_step', cascade: ['deleted'] }],
    visibleTo: () => everyRow,
  }),
  workflow_step: new SyncedTable({
    name: 'workflow_step',
    table: workflowStep,
    writers: 'admin',
    parent: { table: 'workflow', by: 'workflowId' },
    visibleTo: () => everyRow,
  }),
  // Deleting a study deletes its steps and sessions; steps are made from the workflow, sessions by studySessionStart.
  study: new SyncedTable({
    name: 'study',
    table: study,
    owner: 'userId',
    writers: 'owner',
    readOnly: ['hash', 'createdByUserId', 'userIdClosed', 'parentStudyId'],
    children: [
      { field: 'steps', table: 'study_step', cascade: ['deleted'] },
      { field: 'sessions', table: 'study_session', cascade: ['deleted'] },
    ],
    visibleTo: studyRule((can, scope) => [[equal('userId', can.user.id)], ...withIdIn('id', scope.participating)]),
  }),
  study_step: new SyncedTable({
    name: 'study_step',
    table: studyStep,
    writers: 'admin',
    parent: { table: 'study', by: 'studyId' },
    visibleTo: studyRule((_can, scope) => withIdIn('studyId', [...scope.owned, ...scope.participating])),
  }),
  study_session: new SyncedTable({
    name: 'study_session',
    table: studySession,
    owner: 'userId',
    writers: 'owner',
    createRefusal: 'sessions are started by studySessionStart',
    // Participants write `end` (finishing) and `deleted`; step changes (`studyStepId`) go through the studies feature's checks.
    readOnly: ['hash', 'studyId', 'studyStepId', 'numberSteps', 'studyStepIdMax', 'start'],
    parent: { table: 'study', by: 'studyId' },
    visibleTo: studyRule((can, scope) => [[equal('userId', can.user.id)], ...withIdIn('studyId', [...scope.owned, ...scope.collaborating])]),
  }),
  // Each user's UI state: their own rows only.
  user_environment: new SyncedTable({ name: 'user_environment', table: userEnvironment, owner: 'userId', writers: 'owner', visibleTo: (can) => ownedBy(can, 'userId') }),
  comment_state: new SyncedTable({ name: 'comment_state', table: commentState, owner: 'userId', writers: 'owner', visibleTo: (can) => ownedBy(can, 'userId') }),
  // Rubrics and validation schemas are read by everyone who builds or runs a study; owners and
  // admins change them through configurationAdd / configurationUpdate.
  configuration: new SyncedTable({ name: 'configuration', table: configuration, owner: 'userId', writers: 'admin', visibleTo: () => everyRow }),
  // Students see their own submissions; grouping and copying them is for the right's holders (submissionAssignGroup).
  submission: new SyncedTable({
    name: 'submission',
    table: submission,
    owner: 'userId',
    writers: 'admin',
    readOnly: ['createdByUserId', 'parentSubmissionId'],
    visibleTo: (can) => (can.hasRight(manageSubmissionsRight) ? everyRow : ownedBy(can, 'userId')),
  }),
  // The dashboard menu: everyone builds it from these rows (admin entries are only shown to admins).
  nav_group: new SyncedTable({ name: 'nav_group', table: navGroup, writers: 'admin', visibleTo: () => everyRow }),
  // Written by shareCreate, shareUpdate and shareRevoke only (server/shares/), which check the target and
  // grantee. Seen by who shared, by the target's owner, and by the user or role holders it names.
  share: new SyncedTable({
    name: 'share',
    table: share,
    writers: 'admin',
    readOnly: ['documentId', 'tagSetId', 'userId', 'userRoleId', 'role', 'createdByUserId'],
    createRefusal: 'shares are made by shareCreate',
    visibleTo: async (can) => {
      const owned = await can.ownedShareTargets()
      return [
        [equal('createdByUserId', can.user.id)],
        [equal('userId', can.user.id)],
        ...withIdIn('userRoleId', can.roleIds),
        ...withIdIn('documentId', owned.documents),
        ...withIdIn('tagSetId', owned.tagSets),
      ]
    },
  }),
  nav_element: new SyncedTable({ name: 'nav_element', table: navElement, writers: 'admin', parent: { table: 'nav_group', by: 'groupId' }, visibleTo: () => everyRow }),
}

/** The synced table called `name`, or undefined for a table that is not synced. */
export function findSyncedTable(name: string): SyncedTable | undefined {
  return Object.hasOwn(syncedTables, name) ? syncedTables[name as SyncedTableName] : undefined
}
