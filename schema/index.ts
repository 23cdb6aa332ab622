/**
 * Seed data, shared input schemas and wire types: the bottom layer, imported by
 * sync, server and clients, and safe to bundle for browsers (`schema/db` holds what is not).
 */
export * from './seed/index.js'
export * from './inputs/index.js'
export * from './docs/index.js'
export * from './wire/index.js'
export * from './outputs/index.js'
