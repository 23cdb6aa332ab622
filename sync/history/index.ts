export { type AuthorshipSpan, type DeltaOp, DocHistory, type Revision } from './DocHistory.js'
