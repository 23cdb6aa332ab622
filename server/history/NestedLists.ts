export type ListTag = 'ol' | 'ul'

/**
 * The lists open while consecutive list lines are written, innermost last, each with its last
 * `<li>` still open, so that a deeper item nests inside it.
 */
export class NestedLists {
  private readonly open: { tag: ListTag; depth: number }[] = []

  /**
   * One item at `depth` (Quill's indent, 0 at the left): closes the deeper lists and one of another
   * kind at this depth, then continues the list at this depth or opens one.
   */
  item(tag: ListTag, depth: number, itemTag: string, content: string): string {
    let html = ''
    let top = this.open.at(-1)
    while (top && (top.depth > depth || (top.depth === depth && top.tag !== tag))) {
      html += this.closeOne()
      top = this.open.at(-1)
    }
    if (top?.depth === depth) html += '</li>'
    else {
      html += `<${tag}>`
      this.open.push({ tag, depth })
    }
    return `${html}${itemTag}${content}`
  }

  /** Closes every open list (a line that is no list item, or the end). */
  close(): string {
    let html = ''
    while (this.open.length > 0) html += this.closeOne()
    return html
  }

  private closeOne(): string {
    return `</li></${this.open.pop()!.tag}>`
  }
}
