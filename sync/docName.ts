/** Upper bound on a document name, far above any typed name (`annotations:<id>:session:<id>`). */
export const maxDocNameLength = 200

/** Colon-separated segments of letters, digits, `_`, `-` and `.`, such as `document:42` or `pad:room-7`. */
const docNamePattern = /^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)*$/

/** Whether `name` is an acceptable document name. */
export function isValidDocName(name: string): boolean {
  return name.length > 0 && name.length <= maxDocNameLength && docNamePattern.test(name)
}
