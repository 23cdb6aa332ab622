/** Named versions of document content, their restore, and the log retention job that keeps their states. */
export { registerVersionEvents } from './rpc.js'
export { type LogRetention, type RetentionRun, startLogRetention } from './retention.js'
export { restoreText } from './restoreText.js'
