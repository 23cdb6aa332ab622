/** The `folio` command line (`npx folio export …`); Node only, not part of the browser SDK. */
export { main, type CliIo, type OpenDatabaseSource } from './main.js'
export { exitCodes } from './errors.js'
