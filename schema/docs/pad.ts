/**
 * The shape of a `pad:<roomId>` Yjs doc, the room's meeting protocol: one Y.Text whose delta is a
 * Quill delta, edited on the pad page and rendered to PDF by `generate_pdf`.
 */
export const padDoc = {
  text: 'content',
} as const
