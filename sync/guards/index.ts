export type { DocHooks, DocHooksFactory } from './DocHooks.js'
export { OwnedEntriesGuard } from './OwnedEntriesGuard.js'
export { type Presenter, PresenceGuard } from './PresenceGuard.js'
export { touchedEntries } from './touchedEntries.js'
