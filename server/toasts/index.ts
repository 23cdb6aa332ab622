/** The `toast` push: failures the original's clients show as toasts. */
export { type Toast, toastedEvents, toastFailures } from './toastFailures.js'
