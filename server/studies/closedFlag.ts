/**
 * `closed` as clients send it for studies and projects: `true` closes now, `false` reopens; a
 * timestamp (milliseconds or ISO) is left to the column's own check. Only the `closed` key is
 * returned, and only when `data` has one.
 */
export function closedColumn(data: Record<string, unknown>): { closed?: unknown } {
  if (!Object.hasOwn(data, 'closed')) return {}
  if (data.closed === true) return { closed: Date.now() }
  if (data.closed === false) return { closed: null }
  return { closed: data.closed }
}
