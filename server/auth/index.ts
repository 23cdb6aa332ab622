export { createDevAuthorize } from './devPolicy.js'
