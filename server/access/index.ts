export { Permissions } from './Permissions.js'
