/** The link targets Quill's own link format keeps; it shows any other as about:blank. */
const linkProtocols = new Set(['http:', 'https:', 'mailto:', 'tel:', 'sms:'])

/**
 * `href` itself when it leads to a web page, a mail or a phone number, else null. It is parsed as a
 * browser parses it, so tabs, newlines, leading control characters and letter case cannot hide a
 * `javascript:`, `data:` or `vbscript:` scheme; a relative link counts as a web page.
 */
export function safeHref(href: string): string | null {
  try {
    return linkProtocols.has(new URL(href, 'https://relative.invalid/').protocol) ? href : null
  } catch {
    return null
  }
}
