import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Soak } from '../../bench/soakCycle.js'
import { tempDir } from '../helpers/server.js'

describe('the crash soak (bench/soak.ts) for a few cycles', () => {
  let tmp: ReturnType<typeof tempDir>
  let soak: Soak | null = null

  beforeEach(() => {
    tmp = tempDir()
  })
  afterEach(async () => {
    await soak?.stop()
    tmp.remove()
  })

  it('loses nothing any client saw from the server across three SIGKILLs under write load', async () => {
    soak = await Soak.start(tmp.dbPath)
    for (let cycle = 1; cycle <= 3; cycle++) {
      const result = await soak.cycle(cycle)
      expect(result.seen, `cycle ${cycle}: updates seen`).toBeGreaterThan(0)
      expect(result.lost, `cycle ${cycle}: updates lost`).toEqual([])
    }
  }, 60_000)
})
