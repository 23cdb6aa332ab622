export * from './auth.js'
export * from './app.js'
export * from './settings.js'
export * from './rpcEvents.js'
