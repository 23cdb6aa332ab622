/**
 * The app's screens and their addresses. The server answers the app's page at exactly these
 * paths (`appPagePaths` in `server/app/routes.ts`); every other path is not the app's.
 */
export type Screen =
  | { name: 'dashboard' }
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'editor'; documentId: number }
  | { name: 'annotator'; documentId: number }
  | { name: 'history'; documentId: number }
  | { name: 'notFound' }

const editorPath = /^\/edit\/([1-9][0-9]{0,15})$/
const annotatorPath = /^\/annotate\/([1-9][0-9]{0,15})$/
const historyPath = /^\/history\/([1-9][0-9]{0,15})$/

/** The screen at `path` (a URL's pathname). */
export function screenAt(path: string): Screen {
  if (path === '/') return { name: 'dashboard' }
  if (path === '/login') return { name: 'login' }
  if (path === '/register') return { name: 'register' }
  const editor = editorPath.exec(path)
  if (editor) return { name: 'editor', documentId: Number(editor[1]) }
  const annotator = annotatorPath.exec(path)
  if (annotator) return { name: 'annotator', documentId: Number(annotator[1]) }
  const history = historyPath.exec(path)
  if (history) return { name: 'history', documentId: Number(history[1]) }
  return { name: 'notFound' }
}

/** The address of a document's editor. */
export const editorPathOf = (documentId: number): string => `/edit/${documentId}`

/** The address of a PDF's annotator. */
export const annotatorPathOf = (documentId: number): string => `/annotate/${documentId}`

/** The address of a document's history (the timeslider). */
export const historyPathOf = (documentId: number): string => `/history/${documentId}`

/** Screens anyone may see; every other one needs a signed-in user. */
export const isPublicScreen = (screen: Screen): boolean => screen.name === 'login' || screen.name === 'register' || screen.name === 'notFound'
