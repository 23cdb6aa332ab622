export * from './messages.js'
export { type ClientStart, measureUpdate, type UpdateCost } from './updateCost.js'
