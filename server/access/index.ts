export { Permissions } from './Permissions.js'
export { guardForDoc } from './docGuards.js'
