export { annotationsDoc } from './annotations.js'
