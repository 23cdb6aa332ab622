import { afterEach, describe, expect, it, vi } from 'vitest'
import { Emitter } from '../../clients/Emitter.js'

describe('the SDK emitter', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('calls every listener even when one throws, and reports the error outside emit', () => {
    const reported: (() => void)[] = []
    vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => reported.push(task))
    const emitter = new Emitter()
    const seen: unknown[] = []
    emitter.on('appUser', () => {
      throw new Error('a listener bug')
    })
    emitter.on('appUser', (data) => seen.push(data))
    expect(() => emitter.emit('appUser', { id: 1 })).not.toThrow()
    expect(seen).toEqual([{ id: 1 }])
    expect(reported).toHaveLength(1)
    expect(reported[0]!).toThrow('a listener bug')
  })

  it('gives back a function that removes the listener it added', () => {
    const emitter = new Emitter()
    const seen: unknown[] = []
    const off = emitter.on('closed', (data) => seen.push(data))
    emitter.emit('closed', 1)
    off()
    emitter.emit('closed', 2)
    expect(seen).toEqual([1])
  })
})
