#!/usr/bin/env node
// `npx folio …`: runs the TypeScript CLI through tsx (a dependency), so nothing needs building first.
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) })
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
