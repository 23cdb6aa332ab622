import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** What the shell answers: the doc's text and its unacknowledged local updates after each step. */
export interface ShellEvent {
  event: string
  text: string
  unacknowledged: number
}

/** A `replicaShell.ts` child process and its JSON lines. */
export class ShellProcess {
  readonly events: ShellEvent[] = []
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  private readonly child: ChildProcessWithoutNullStreams
  private stderr = ''

  constructor(url: string, storePath: string, docName: string, token: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'test/clients/replicaShell.ts', url, storePath, docName], {
      cwd: repoRoot,
      env: { ...process.env, FOLIO_TOKEN: token },
    })
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })))
    let buffered = ''
    this.child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) if (line.startsWith('{')) this.events.push(JSON.parse(line) as ShellEvent)
    })
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()))
  }

  /** Sends a command and resolves with the first `event` answered after it. */
  async command(line: string, event: string, timeoutMs = 15_000): Promise<ShellEvent> {
    const seen = this.events.length
    this.child.stdin.write(`${line}\n`)
    return this.next(event, seen, timeoutMs)
  }

  /** The first `event` at or after index `from` of the events. */
  async next(event: string, from = 0, timeoutMs = 15_000): Promise<ShellEvent> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.events.slice(from).find((answer) => answer.event === event)
      if (found) return found
      if (Date.now() > deadline) throw new Error(`the shell did not answer ${event} within ${timeoutMs} ms; stderr:\n${this.stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  kill(): Promise<unknown> {
    this.child.kill('SIGKILL')
    return this.exited
  }
}
