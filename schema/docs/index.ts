export { annotationsDoc } from './annotations.js'
export { padDoc } from './pad.js'
