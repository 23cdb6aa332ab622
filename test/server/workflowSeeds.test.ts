import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { stepType, workflowSeeds } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { queryDb } from '../helpers/rooms.js'
import { startTestServer, tempDir } from '../helpers/server.js'

type StepRow = { id: number; workflowId: number; stepType: number; previous: number | null; documentStep: number | null; configuration: string | null }

describe('seeded workflows', () => {
  let tmp: ReturnType<typeof tempDir>
  let server: FolioServer

  beforeEach(async () => {
    tmp = tempDir()
    server = await startTestServer(tmp.dbPath)
  })
  afterEach(async () => {
    await server.close()
    tmp.remove()
  })

  const workflows = () => queryDb(tmp.dbPath, 'SELECT id, name FROM workflow ORDER BY id') as { id: number; name: string }[]
  const steps = (workflowId: number) =>
    queryDb(
      tmp.dbPath,
      'SELECT id, workflow_id AS workflowId, step_type AS stepType, workflow_step_previous AS previous, workflow_step_document AS documentStep, configuration FROM workflow_step WHERE workflow_id = ? ORDER BY id',
      workflowId,
    ) as StepRow[]

  it('seeds every workflow once, its steps a linked list in order whose document references point at earlier steps', async () => {
    expect(workflows().map((row) => row.name)).toEqual(workflowSeeds.map((seed) => seed.name))
    for (const [index, row] of workflows().entries()) {
      const seed = workflowSeeds[index]!
      const stored = steps(row.id)
      expect(stored.map((step) => step.stepType)).toEqual(seed.steps.map((step) => step.stepType))
      expect(stored.map((step) => step.previous)).toEqual([null, ...stored.slice(0, -1).map((step) => step.id)])
      expect(stored.map((step) => step.documentStep)).toEqual(seed.steps.map((step) => (step.documentStep === null ? null : stored[step.documentStep - 1]!.id)))
    }
    const peerReview = steps(workflows().find((row) => row.name === 'Peer Review Workflow')!.id)
    expect(peerReview.map((step) => step.stepType)).toEqual([stepType.annotator, stepType.editor])
    expect(peerReview[1]!.documentStep).toBe(peerReview[0]!.id)
    expect(JSON.parse(peerReview[1]!.configuration!).fields[0].type).toBe('addLinkEOD')

    // A restart seeds nothing twice, and a deleted seeded workflow stays deleted.
    await server.close()
    const sqlite = new Database(tmp.dbPath)
    sqlite.prepare("UPDATE workflow SET deleted = 1 WHERE name = 'Annotation Workflow'").run()
    sqlite.close()
    const counts = queryDb(tmp.dbPath, 'SELECT (SELECT count(*) FROM workflow) AS workflows, (SELECT count(*) FROM workflow_step) AS steps')
    server = await startTestServer(tmp.dbPath)
    expect(queryDb(tmp.dbPath, 'SELECT (SELECT count(*) FROM workflow) AS workflows, (SELECT count(*) FROM workflow_step) AS steps')).toEqual(counts)
  })
})
