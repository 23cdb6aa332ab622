export { DocHistory, HistoryTrimmedError, type TrimResult } from './DocHistory.js'
export { firstRangeEndingAfter } from './ranges.js'
