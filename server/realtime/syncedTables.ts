import {
  document,
  documentData,
  roleRightMatching,
  studiesFullAccessRight,
  type SyncedTableName,
  tag,
  tagSet,
  user,
  userPrivateInfoRight,
  userRight,
  userRole,
  userRoleMatching,
} from '../../schema/index.js'
import type { Permissions } from '../access/index.js'
import { type UserRow, userSecretColumns, withoutSecrets } from '../auth/index.js'
import { equal, type RowSet } from './rowSets.js'
import { SyncedTable } from './SyncedTable.js'

const everyRow: RowSet = 'all'
const ownedBy = (can: Permissions, column: string): RowSet => [[equal(column, can.user.id)]]
const ownOrPublic = (can: Permissions): RowSet => [[equal('userId', can.user.id)], [equal('public', true)]]

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
    // As Permissions.checkDocumentAccess: public rows, own rows, and all rows for the studies full-access right.
    visibleTo: (can) => (can.hasRight(studiesFullAccessRight) ? everyRow : [[equal('userId', can.user.id)], [equal('public', true)]]),
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
    visibleTo: ownOrPublic,
  }),
  tag: new SyncedTable({
    name: 'tag',
    table: tag,
    owner: 'userId',
    writers: 'owner',
    parent: { table: 'tag_set', by: 'tagSetId' },
    visibleTo: ownOrPublic,
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
}

/** The synced table called `name`, or undefined for a table that is not synced. */
export function findSyncedTable(name: string): SyncedTable | undefined {
  return Object.hasOwn(syncedTables, name) ? syncedTables[name as SyncedTableName] : undefined
}
