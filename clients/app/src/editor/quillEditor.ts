import 'quill/dist/quill.snow.css'
import 'quill-cursors/css'
import Quill from 'quill'
import cursorsImport from 'quill-cursors/core'

/**
 * quill-cursors is a CommonJS bundle marked `__esModule`. Imported from an ES module of this
 * `"type": "module"` package, Vite hands over its whole `module.exports`, as Node does, so the class
 * is on `.default`; TypeScript types the import as the class itself under the app's bundler
 * resolution and as the module under the root's NodeNext, hence the cast. `core` is the build that
 * injects no <style> element (the page's CSP would refuse it); its stylesheet is imported above.
 */
Quill.register('modules/cursors', (cursorsImport as unknown as { default: unknown }).default)

/** The toolbar of writers: structure and emphasis, lists, links; nothing that needs inline styles. */
const toolbar = [[{ header: [1, 2, 3, false] }], ['bold', 'italic', 'underline', 'strike'], [{ list: 'ordered' }, { list: 'bullet' }], ['blockquote', 'link'], ['clean']]

/**
 * A Quill editor (snow theme) with the toolbar and the collaborators' cursors, disabled until
 * `setWritable` says otherwise. Tab is left to the browser so a keyboard user can move on from the
 * editor instead of being kept in it (lists still indent with Tab).
 */
export function createQuill(container: HTMLElement): Quill {
  const quill = new Quill(container, {
    theme: 'snow',
    readOnly: true,
    placeholder: 'Write here…',
    modules: {
      toolbar,
      cursors: { transformOnTextChange: true },
      // Undo takes back only this user's own edits, never a colleague's that arrived over Yjs.
      history: { userOnly: true },
      keyboard: { bindings: { tab: false } },
    },
  })
  quill.root.setAttribute('aria-label', 'Document text')
  return quill
}

/** Enables or disables the editor, and shows its toolbar only while it can be used. */
export function setWritable(quill: Quill, writable: boolean): void {
  quill.enable(writable)
  quill.root.setAttribute('aria-readonly', String(!writable))
  // The snow theme puts the toolbar right before the editor's container.
  const bar = quill.container.previousElementSibling
  if (bar instanceof HTMLElement && bar.classList.contains('ql-toolbar')) bar.hidden = !writable
}
