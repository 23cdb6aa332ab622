import Quill from 'quill'
import quillCursors from 'quill-cursors/core'

// quill-cursors is a CommonJS bundle marked `__esModule`. Imported from an ES module (this
// package is `"type": "module"`), Node, TypeScript's NodeNext and esbuild all hand over its whole
// `module.exports`, so the class is on `.default`. `core` is the build that does not inject a
// <style> element, which the page's CSP would block; its stylesheet is imported in main.ts.
Quill.register('modules/cursors', quillCursors.default)

/** The toolbar writers get: what a meeting protocol needs, nothing that would need inline styles. */
const writerToolbar = [[{ header: [1, 2, 3, false] }], ['bold', 'italic'], [{ list: 'ordered' }, { list: 'bullet' }]]

/**
 * A Quill editor (snow theme) in `container`. Readers get no toolbar and a disabled editor; the
 * server drops their updates anyway, this only keeps them from typing into a dead end.
 */
export function createEditor(container: HTMLElement, access: 'write' | 'read'): Quill {
  const writable = access === 'write'
  const quill = new Quill(container, {
    theme: 'snow',
    readOnly: !writable,
    placeholder: writable ? 'Write the meeting protocol…' : 'Nothing written yet.',
    modules: {
      toolbar: writable ? writerToolbar : false,
      cursors: { transformOnTextChange: true },
      // Undo must only take back this user's own edits, never a colleague's that arrived over Yjs.
      history: { userOnly: true },
    },
  })
  quill.enable(writable)
  return quill
}

/** Makes a writer's editor read-only in place: disabled, and without the toolbar that suggests otherwise. */
export function lockEditor(quill: Quill): void {
  quill.enable(false)
  // The snow theme puts the toolbar right before the editor's container.
  const toolbar = quill.container.previousElementSibling
  if (toolbar instanceof HTMLElement && toolbar.classList.contains('ql-toolbar')) toolbar.hidden = true
}
