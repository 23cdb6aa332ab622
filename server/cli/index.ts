/** Operator tools that run the server's own code against its database: the `folio` CLI's `--db` mode. */
export { DatabaseSource, DatabaseUnavailableError } from './DatabaseSource.js'
