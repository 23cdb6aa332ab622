/**
 * The signaling commands of one live room, run one at a time in the order they were queued: a
 * command awaits the database, and the room's participants and their rows must change together,
 * so the next command starts only once the one before has finished (or failed).
 */
export class RoomQueue {
  private tail: Promise<unknown> = Promise.resolve()

  /** Runs `job` after every job queued before it; resolves or rejects as `job` does. */
  run<T>(job: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(job)
    // A failed job is its caller's failure; the jobs after it run all the same.
    this.tail = result.catch(() => undefined)
    return result
  }
}
