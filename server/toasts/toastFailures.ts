import type { RpcRegistry } from '../rpc/index.js'

/** A toast the client shows: its text, heading and Bootstrap variant. */
export interface Toast {
  message: string
  title: string
  variant: 'success' | 'info' | 'warning' | 'danger'
}

/** The events whose failure the client also hears of as a `toast`, with its heading: opening a document by its link, following a study's sessions, and loading an annotation. */
export const toastedEvents: Readonly<Record<string, string>> = {
  documentGetByHash: 'Error loading documents',
  studySessionSubscribe: 'Error',
  annotationGet: 'Error loading annotations',
}

/**
 * Pushes `toast` to the caller's events socket when one of `events` fails, with the failure's
 * message: the original's clients show these failures as toasts rather than reading the answer.
 */
export function toastFailures(rpc: RpcRegistry, events: Readonly<Record<string, string>> = toastedEvents): void {
  rpc.onFailure((event, answer, { client }) => {
    const title = Object.hasOwn(events, event) ? events[event] : undefined
    if (title === undefined || answer.success) return
    const toast: Toast = { message: answer.message, title, variant: 'danger' }
    client?.send('toast', toast)
  })
}
