export { ChangeRecorder, textDiff } from './ChangeRecorder.js'
export { contextOf, DocHistory, HistoryTrimmedError, type TrimResult } from './DocHistory.js'
export { firstRangeEndingAfter } from './ranges.js'
export { kindOf, plainText, type SharedType, typeSharedTypes, xmlPlainText } from './sharedTypes.js'
