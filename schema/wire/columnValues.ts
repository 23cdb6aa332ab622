/** The values some table columns take, named: rows carry them on the wire, so clients read them too. */

/** Document types of the original: 0 PDF, 1 HTML, 2 MODAL, 4 ZIP (a stored archive, as submissions hand them in). */
export const documentType = { pdf: 0, html: 1, modal: 2, zip: 4 } as const

/** HTML and MODAL documents keep their text in a Yjs content doc; PDFs and ZIPs are a stored file instead. */
export const hasTextContent = (type: number): boolean => type === documentType.html || type === documentType.modal

export const participantKinds = ['user', 'guest'] as const
export type ParticipantKind = (typeof participantKinds)[number]
export const participantRoles = ['guest', 'user', 'moderator'] as const
export type ParticipantRole = (typeof participantRoles)[number]
export const padAccessLevels = ['write', 'read'] as const
export type PadAccess = (typeof padAccessLevels)[number]

/** The colours a tag may have: the original's Bootstrap variants. */
export const tagColorCodes = ['info', 'warning', 'success', 'danger'] as const
export type TagColorCode = (typeof tagColorCodes)[number]

/** Whether a comment is collapsed (1) or expanded (0) for one user. */
export const commentStateValues = { expanded: 0, collapsed: 1 } as const

/** What a participant does in a step: annotate a PDF, write in an editor, or answer a modal. */
export const stepType = { annotator: 1, editor: 2, modal: 3 } as const
export type StepType = (typeof stepType)[keyof typeof stepType]

/** What a share lets its user or role do: edit a document, annotate it, or read it (least to most: reader, annotator, editor). */
export const shareRoles = ['reader', 'annotator', 'editor'] as const
export type ShareRole = (typeof shareRoles)[number]
