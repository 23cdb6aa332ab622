export { type AuthorshipSpan, type DeltaOp, DocHistory, HistoryTrimmedError, type Revision, type TrimResult } from './DocHistory.js'
export { firstRangeEndingAfter } from './ranges.js'
