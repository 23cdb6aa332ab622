/** Configurations (assessment rubrics, validation schemas): their seed and events. */
export { registerConfigurationEvents } from './rpc.js'
export { seedConfigurations } from './seedConfigurations.js'
