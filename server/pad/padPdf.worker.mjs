// Worker threads do not inherit the TypeScript loader the server runs under (tsx or vitest), so
// this plain-JS entry registers tsx and then loads the TypeScript worker.
import { register } from 'tsx/esm/api'

register()
await import('./padPdfWorker.ts')
