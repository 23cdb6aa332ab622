export { OwnedEntriesGuard } from './OwnedEntriesGuard.js'
export type { GuardedWriter, GuardFactory, UpdateGuard } from './UpdateGuard.js'
