export * from './rights.js'
export * from './settings.js'
