#!/usr/bin/env node
// `npx folio-sync …`: runs the TypeScript CLI through tsx (a dependency), so nothing needs building first.
import { fileURLToPath } from 'node:url'
import { register } from 'tsx/esm/api'

register({ tsconfig: fileURLToPath(new URL('../../tsconfig.json', import.meta.url)) })
const { main } = await import('./main.ts')
// The entry point is where the layers meet: the CLI is a client, its --db mode runs the server's code,
// loaded only when asked for (it pulls in SQLite and the export code).
const openDatabase = async (path) => (await import('../../server/cli/index.ts')).DatabaseSource.open(path)
process.exitCode = await main(process.argv.slice(2), openDatabase)
