import { type ChildProcess, fork } from 'node:child_process'
import { join } from 'node:path'
import { repoRoot } from './servers.js'

/** Every message between a bench process and its children is an object tagged with its type. */
export interface ChildMessage {
  type: string
}

/** Wall-clock milliseconds with sub-millisecond precision, comparable across the bench's processes. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now()
}

const exitGraceMs = 5_000

/**
 * A bench client script (`bench/<script>.ts`) run as a child process, so that its CPU (a burst of
 * sends, applying updates) never delays the measuring process's timers. Messages go over IPC.
 */
export class BenchChild<In extends ChildMessage> {
  private readonly received: In[] = []
  private readonly waiters = new Set<() => void>()
  private exitStatus: string | null = null
  private readonly exited: Promise<void>

  private constructor(
    readonly label: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (message: In) => {
      this.received.push(message)
      this.wake()
    })
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitStatus = signal ? `killed by ${signal}` : `exited with code ${code}`
        this.wake()
        resolve()
      }),
    )
  }

  /** Starts `bench/<script>.ts` under tsx with `args`; its stderr is the bench's. */
  static fork<In extends ChildMessage>(label: string, script: string, args: string[]): BenchChild<In> {
    const child = fork(join(repoRoot, 'bench', `${script}.ts`), args, {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    })
    return new BenchChild<In>(label, child)
  }

  send(message: ChildMessage): void {
    if (this.exitStatus === null) this.child.send(message)
  }

  /** The messages of `type` received so far. */
  all<T extends In['type']>(type: T): Extract<In, { type: T }>[] {
    return this.received.filter((message): message is Extract<In, { type: T }> => message.type === type)
  }

  /** The first message of `type`; rejects if the child exits first or after `timeoutMs`. */
  async next<T extends In['type']>(type: T, timeoutMs: number): Promise<Extract<In, { type: T }>> {
    const deadline = performance.now() + timeoutMs
    for (;;) {
      const found = this.all(type)[0]
      if (found) return found
      if (this.exitStatus !== null) throw new Error(`${this.label} ${this.exitStatus} before sending '${type}'`)
      const left = deadline - performance.now()
      if (left <= 0) throw new Error(`${this.label} sent no '${type}' within ${timeoutMs} ms`)
      await this.wakeOrTimeout(left)
    }
  }

  /** Waits until `check` holds, re-checking on every message and exit, for at most `timeoutMs`; answers whether it held. */
  async until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs
    while (!check()) {
      const left = deadline - performance.now()
      if (left <= 0) return false
      await this.wakeOrTimeout(left)
    }
    return true
  }

  /** Asks the child to finish with `{type: 'close'}`; kills it if it does not exit soon. */
  async stop(): Promise<void> {
    this.send({ type: 'close' })
    const timer = setTimeout(() => this.child.kill('SIGKILL'), exitGraceMs)
    await this.exited
    clearTimeout(timer)
  }

  private wake(): void {
    for (const wake of this.waiters) wake()
  }

  private wakeOrTimeout(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        this.waiters.delete(wake)
        clearTimeout(timer)
        resolve()
      }
      const timer = setTimeout(wake, ms)
      this.waiters.add(wake)
    })
  }
}
