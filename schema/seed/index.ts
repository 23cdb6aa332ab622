export * from './rights.js'
export * from './settings.js'
export * from './workflows.js'
