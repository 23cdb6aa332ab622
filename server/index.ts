/** The Hono server: configuration, access policy, HTTP routes and the sync endpoint. */
export { type Config, ConfigError, loadConfig } from './config.js'
export { createLogger } from './logger.js'
export { type FolioServer, startServer } from './startServer.js'
