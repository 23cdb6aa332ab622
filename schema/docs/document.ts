/** The Yjs doc holding an HTML or MODAL document's content: a Y.Text named `content` whose delta is a Quill delta. */
export const documentContentDoc = {
  text: 'content',
} as const
