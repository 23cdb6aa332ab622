/**
 * The shape of an `annotations:<documentId>` Yjs doc: top-level Y.Maps of id -> entry, each entry
 * a flat Y.Map of JSON values whose `userId` is its creator. Ids are UUIDs made by whoever creates
 * the entry, so entries created offline merge.
 */
export const annotationsDoc = {
  collections: ['annotations', 'comments', 'votes'],
  ownerField: 'userId',
} as const
