import { createWriteStream, renameSync, rmSync, type WriteStream } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { CliError, exitCodes } from './errors.js'

/**
 * Where an export goes: stdout, or a file that is written next to its final name and renamed
 * into place only when the export is complete, so a failed export never leaves a truncated file
 * (nor replaces an older complete one).
 */
export class Output {
  private constructor(
    private readonly stream: Writable,
    private readonly file: { temporary: string; final: string } | null,
  ) {}

  static stdout(): Output {
    return new Output(process.stdout, null)
  }

  static async file(path: string): Promise<Output> {
    const final = resolve(path)
    const temporary = join(dirname(final), `.${basename(final)}.${process.pid}.partial`)
    const stream = createWriteStream(temporary, { flags: 'w' })
    try {
      await new Promise<void>((done, fail) => stream.once('open', () => done()).once('error', fail))
    } catch (error) {
      throw new CliError(`cannot write ${final}: ${error instanceof Error ? error.message : String(error)}`, exitCodes.output)
    }
    return new Output(stream, { temporary, final })
  }

  /** Writes `text` (or bytes), waiting while the destination is full, so a large export streams in bounded memory. */
  async write(text: string | Uint8Array): Promise<void> {
    if (!this.stream.write(text)) await new Promise<void>((done) => this.stream.once('drain', () => done()))
  }

  /** The export is complete: flush, and move the file into place. */
  async finish(): Promise<void> {
    if (!this.file) return
    await new Promise<void>((done, fail) => (this.stream as WriteStream).end((error?: Error | null) => (error ? fail(error) : done())))
    renameSync(this.file.temporary, this.file.final)
  }

  /** The export failed: drop the partial file. */
  abort(): void {
    if (!this.file) return
    ;(this.stream as WriteStream).destroy()
    rmSync(this.file.temporary, { force: true })
  }

  get path(): string | null {
    return this.file?.final ?? null
  }
}
