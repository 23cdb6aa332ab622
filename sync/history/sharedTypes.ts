import * as Y from 'yjs'
import type { SharedTypeKind } from '../../schema/index.js'

/** A top-level Yjs type, whatever events it emits. */
export type SharedType = Y.AbstractType<any>

/**
 * A doc built from stored updates knows its top-level types only by name: Yjs gives each the
 * untyped base class until someone asks for it as text, XML, map or array, and the untyped one
 * renders nothing and reports no changes. History and exports must show every type a doc holds
 * (Quill's `content` text, a ProseMirror or Tiptap `Y.XmlFragment`, maps of annotations), so they
 * read each type's kind from its content and ask for it as that.
 */
export function kindOf(type: SharedType): SharedTypeKind | null {
  if (type instanceof Y.Text) return 'text'
  if (type instanceof Y.XmlFragment) return 'xml'
  if (type instanceof Y.Map) return 'map'
  if (type instanceof Y.Array) return 'array'
  let sequence: SharedTypeKind | null = null
  for (let item = type._start; item !== null; item = item.right) {
    if (item.deleted) continue
    const { content } = item
    if (content instanceof Y.ContentString || content instanceof Y.ContentFormat || content instanceof Y.ContentEmbed) return 'text'
    if (content instanceof Y.ContentType && (content.type instanceof Y.XmlElement || content.type instanceof Y.XmlText || content.type instanceof Y.XmlHook)) sequence ??= 'xml'
    else sequence = 'array'
  }
  if (sequence) return sequence
  // A map keeps an entry for every key it ever held, so even an emptied one tells its kind.
  return type._map.size > 0 ? 'map' : null
}

/**
 * Gives every top-level type of `doc` whose kind its content tells its Yjs class, and returns the
 * typed ones by name. A text, XML fragment or array whose content was all deleted (or never written)
 * stays untyped: it shows nothing either way.
 */
export function typeSharedTypes(doc: Y.Doc): Map<string, { kind: SharedTypeKind; type: SharedType }> {
  const typed = new Map<string, { kind: SharedTypeKind; type: SharedType }>()
  for (const [name, type] of [...doc.share]) {
    const kind = kindOf(type)
    if (kind) typed.set(name, { kind, type: typeAs(doc, name, kind) })
  }
  return typed
}

/** The top-level type `name` of `doc` as the Yjs class of `kind`. */
export function typeAs(doc: Y.Doc, name: string, kind: SharedTypeKind): SharedType {
  switch (kind) {
    case 'text':
      return doc.getText(name)
    case 'xml':
      return doc.getXmlFragment(name)
    case 'map':
      return doc.getMap(name)
    case 'array':
      return doc.getArray(name)
  }
}

/**
 * The words of an XML fragment without its markup, one line per block: the text an editor shows.
 * Elements whose children are elements (lists, blockquotes) put each child on its own line.
 */
export function xmlPlainText(node: Y.XmlFragment | Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('')
  }
  if (node instanceof Y.XmlHook) return ''
  const children = node.toArray()
  const texts = children.map((child) => xmlPlainText(child))
  return children.some((child) => child instanceof Y.XmlElement) ? texts.join('\n') : texts.join('')
}

/** The plain text of a text-like type: a Y.Text's characters, an XML fragment's words. */
export function plainText(type: SharedType): string {
  if (type instanceof Y.Text) return type.toString()
  if (type instanceof Y.XmlFragment) return xmlPlainText(type)
  return ''
}
