import { shallowRef } from 'vue'
import { type Screen, screenAt } from './routes.js'

/** The screen the address bar names; set by `go` and by the browser's back and forward buttons. */
export const currentScreen = shallowRef<Screen>(screenAt(location.pathname))

/** Shows the screen at `path`, as a new history entry (or in place of the current one with `replace`). */
export function go(path: string, { replace = false } = {}): void {
  if (replace) history.replaceState(null, '', path)
  else history.pushState(null, '', path)
  currentScreen.value = screenAt(location.pathname)
}

addEventListener('popstate', () => {
  currentScreen.value = screenAt(location.pathname)
})
