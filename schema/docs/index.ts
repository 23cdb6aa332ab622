export { annotationsDoc } from './annotations.js'
export { padDoc } from './pad.js'
export { documentContentDoc } from './document.js'
