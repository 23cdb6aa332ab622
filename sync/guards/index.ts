export type { DocHooks, DocHooksFactory, GuardedWriter } from './DocHooks.js'
export { OwnedEntriesGuard } from './OwnedEntriesGuard.js'
export { touchedEntries } from './touchedEntries.js'
