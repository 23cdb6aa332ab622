/** What a study's step configurations are filled in with: the reviewed document or submission. */
export interface AssignmentTarget {
  type: 'document' | 'submission'
  id: number
}

/**
 * A copy of a template step's configuration in which every template marker (an object with
 * `isTemplate: true`, at any depth) names the reviewed thing: `submissionId` for a submission,
 * `documentId` for a document; everything else is kept as it is.
 */
export function fillTemplateMarkers(configuration: unknown, target: AssignmentTarget): unknown {
  if (Array.isArray(configuration)) return configuration.map((item) => fillTemplateMarkers(item, target))
  if (configuration === null || typeof configuration !== 'object') return configuration
  const entries = Object.entries(configuration as Record<string, unknown>).map(([key, value]) => {
    const marker = value !== null && typeof value === 'object' && (value as { isTemplate?: unknown }).isTemplate === true
    return [key, marker ? { ...value, [target.type === 'submission' ? 'submissionId' : 'documentId']: target.id } : fillTemplateMarkers(value, target)]
  })
  return Object.fromEntries(entries)
}
