import Database from 'better-sqlite3'
import type { EventsConnection } from './events.js'
import { queryDb } from './rooms.js'

type Row = Record<string, unknown> & { id: number }

/** The id of the seeded workflow called `name`. */
export function workflowId(dbPath: string, name: string): number {
  return (queryDb(dbPath, 'SELECT id FROM workflow WHERE name = ?', name) as { id: number }[])[0]!.id
}

/** The ids of a workflow's steps, in order. */
export function workflowStepIds(dbPath: string, workflow: number): number[] {
  return (queryDb(dbPath, 'SELECT id FROM workflow_step WHERE workflow_id = ? ORDER BY id', workflow) as { id: number }[]).map((row) => row.id)
}

/** A study's live steps as stored, in order. */
export function studySteps(dbPath: string, studyId: number): Row[] {
  return queryDb(
    dbPath,
    'SELECT id, step_type AS stepType, document_id AS documentId, study_step_previous AS previous, study_step_document AS studyStepDocument, configuration FROM study_step WHERE study_id = ? AND deleted = 0 ORDER BY id',
    studyId,
  ) as Row[]
}

/** Creates a study through appDataUpdate as `events`' user and returns its id. */
export function createStudy(events: EventsConnection, data: Record<string, unknown>): Promise<number> {
  return events.ok<number>('appDataUpdate', { table: 'study', data: { stepDocuments: [], ...data } })
}

/** Writes beside a running server (rows no event makes), waiting for its write lock; returns the new row id. */
export function writeDb(dbPath: string, sql: string, ...params: unknown[]): number {
  const sqlite = new Database(dbPath)
  sqlite.pragma('busy_timeout = 5000')
  try {
    return Number(sqlite.prepare(sql).run(...params).lastInsertRowid)
  } finally {
    sqlite.close()
  }
}

/** Adds a session of `userId` to `studyId` directly. */
export function addSession(dbPath: string, studyId: number, userId: number): number {
  const now = Date.now()
  return writeDb(dbPath, 'INSERT INTO study_session (hash, study_id, user_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', crypto.randomUUID(), studyId, userId, now, now)
}
