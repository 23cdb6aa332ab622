export { ChangeRecorder, textDiff } from './ChangeRecorder.js'
export { contextOf, DocHistory, HistoryTrimmedError, type TrimResult, writtenAt } from './DocHistory.js'
export { firstRangeEndingAfter } from './ranges.js'
export { kindOf, plainText, type SharedType, typeSharedTypes, xmlPlainText } from './sharedTypes.js'
