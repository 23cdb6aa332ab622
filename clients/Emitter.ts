export type Listener = (data: unknown) => void

/** Listeners by event name; a throwing listener is reported without stopping the others. */
export class Emitter {
  private readonly listeners = new Map<string, Set<Listener>>()

  /** Adds `listener` for `event`; the returned function removes it. */
  on(event: string, listener: Listener): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener)
    return () => {
      set.delete(listener)
      if (set.size === 0 && this.listeners.get(event) === set) this.listeners.delete(event)
    }
  }

  emit(event: string, data: unknown): void {
    const set = this.listeners.get(event)
    if (!set) return
    for (const listener of [...set]) {
      try {
        listener(data)
      } catch (error) {
        // A listener's bug must not break the socket that delivered the event; rethrowing
        // outside this call surfaces it the way the platform reports uncaught errors.
        queueMicrotask(() => {
          throw error
        })
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
