/** Name of a room's pad Yjs doc. */
export const padDocName = (roomId: string): string => `pad:${roomId}`
