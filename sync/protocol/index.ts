export * from './messages.js'
export { measureUpdate, type UpdateCost } from './updateCost.js'
