/**
 * RFC 4180 CSV: a header row, CRLF line ends, and a field quoted (inner quotes doubled) when it
 * holds a comma, quote, CR or LF. Values are not otherwise changed (no spreadsheet-formula
 * prefix), so the file reads back exactly in R, pandas or a spreadsheet's import.
 */
export function toCsv(columns: readonly string[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map(csvField), ...rows.map((row) => columns.map((column) => csvField(row[column])))]
  return lines.map((fields) => fields.join(',')).join('\r\n') + '\r\n'
}

/** One field: null and undefined empty, objects as JSON, everything else as its string. */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
