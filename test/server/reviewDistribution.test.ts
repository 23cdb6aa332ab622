import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { distributeReviews, type ReviewerQuota, type ReviewTask, seededRandom } from '../../server/assignments/index.js'

/** A class: `students` each wrote one document and review some of the others; `extra` reviewers (tutors) wrote none. */
const classes = fc
  .record({ students: fc.integer({ min: 1, max: 25 }), extra: fc.integer({ min: 0, max: 4 }), seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }) })
  .chain(({ students, extra, seed }) =>
    fc.record({
      tasks: fc.constant(Array.from({ length: students }, (_, index): ReviewTask => ({ id: 1000 + index, ownerId: index + 1 }))),
      reviewers: fc.tuple(
        fc.array(fc.integer({ min: 0, max: students - 1 }), { minLength: students, maxLength: students }),
        fc.array(fc.integer({ min: 0, max: students }), { minLength: extra, maxLength: extra }),
      ).map(([own, tutors]): ReviewerQuota[] => [...own.map((quota, index) => ({ id: index + 1, quota })), ...tutors.map((quota, index) => ({ id: 500 + index, quota }))]),
      seed: fc.constant(seed),
    }),
  )

/** Every reviewer's tasks, from a distribution's reviewers per task. */
function tasksOf(reviewersOf: Map<number, number[]>): Map<number, number[]> {
  const byReviewer = new Map<number, number[]>()
  for (const [task, reviewers] of reviewersOf) for (const reviewer of reviewers) byReviewer.set(reviewer, [...(byReviewer.get(reviewer) ?? []), task])
  return byReviewer
}

describe('the distribution of peer reviews', () => {
  it('meets every quota with different tasks, never the reviewer’s own, evenly, and the seed decides it', () => {
    fc.assert(
      fc.property(classes, ({ tasks, reviewers, seed }) => {
        const result = distributeReviews(tasks, reviewers, seededRandom(seed))
        if (!result.met) throw new Error(`not met: ${JSON.stringify(result.shortfalls)}`)
        const owners = new Map(tasks.map((task) => [task.id, task.ownerId]))
        const byReviewer = tasksOf(result.reviewersOf)
        for (const reviewer of reviewers) {
          const mine = byReviewer.get(reviewer.id) ?? []
          expect(mine).toHaveLength(reviewer.quota)
          expect(new Set(mine).size).toBe(mine.length)
          for (const task of mine) expect(owners.get(task)).not.toBe(reviewer.id)
        }
        const counts = [...result.reviewersOf.values()].map((ids) => ids.length)
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1)
        expect(distributeReviews(tasks, reviewers, seededRandom(seed))).toEqual(result)
      }),
      { numRuns: 300 },
    )
  })

  it('picks other distributions under other seeds', () => {
    const tasks = Array.from({ length: 12 }, (_, index) => ({ id: index, ownerId: index }))
    const reviewers = tasks.map((task) => ({ id: task.ownerId, quota: 3 }))
    const seen = new Set(Array.from({ length: 10 }, (_, seed) => JSON.stringify([...(distributeReviews(tasks, reviewers, seededRandom(seed)) as { reviewersOf: Map<number, number[]> }).reviewersOf])))
    expect(seen.size).toBeGreaterThan(5)
  })

  it('reports the reviewers whose quota no distribution can meet', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.nat(), (students, over, seed) => {
        const tasks = Array.from({ length: students }, (_, index) => ({ id: index, ownerId: index }))
        // Reviewer 0 wrote one of the tasks, so at most students - 1 are there for them.
        const result = distributeReviews(tasks, [{ id: 0, quota: students - 1 + over }], seededRandom(seed))
        expect(result).toEqual({ met: false, shortfalls: [{ reviewerId: 0, missing: over }] })
      }),
    )
  })

  it('reaches the smallest spread any distribution has, on small classes checked exhaustively', () => {
    const small = fc.record({
      owners: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
      quotas: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 3 }),
      seed: fc.nat(),
    })
    fc.assert(
      fc.property(small, ({ owners, quotas, seed }) => {
        const tasks = owners.map((ownerId, id) => ({ id, ownerId }))
        const reviewers = quotas.map((quota, index) => ({ id: index + 1, quota }))
        // Every reviewer's possible sets of tasks, then every combination of them.
        const choices = reviewers.map((reviewer) =>
          Array.from({ length: 1 << tasks.length }, (_, mask) => tasks.filter((_task, index) => mask & (1 << index))).filter(
            (set) => set.length === reviewer.quota && set.every((task) => task.ownerId !== reviewer.id),
          ),
        )
        let best = Infinity
        const walk = (index: number, counts: number[]): void => {
          if (index === reviewers.length) return void (best = Math.min(best, Math.max(...counts) - Math.min(...counts)))
          for (const set of choices[index]!) walk(index + 1, counts.map((count, task) => count + (set.some((chosen) => chosen.id === task) ? 1 : 0)))
        }
        walk(0, tasks.map(() => 0))
        const result = distributeReviews(tasks, reviewers, seededRandom(seed))
        expect(result.met).toBe(best !== Infinity)
        if (result.met) {
          const counts = [...result.reviewersOf.values()].map((ids) => ids.length)
          expect(Math.max(...counts) - Math.min(...counts)).toBe(best)
        }
      }),
      { numRuns: 300 },
    )
  })

  it('is as even as the quotas allow when they do not allow a spread of one', () => {
    // Only reviewer 1 reviews, two of three tasks, and task 1 is their own: counts 0, 1, 1 at best.
    const tasks = [1, 2, 3].map((id) => ({ id, ownerId: id }))
    const result = distributeReviews(tasks, [{ id: 1, quota: 2 }], seededRandom(1))
    expect(result).toEqual({ met: true, reviewersOf: new Map([[1, []], [2, [1]], [3, [1]]]) })
    // Two reviews each from two tutors and an author over two tasks, the author's excluded: 3 and 2.
    const two = distributeReviews([{ id: 1, ownerId: 9 }, { id: 2, ownerId: 8 }], [{ id: 9, quota: 1 }, { id: 7, quota: 2 }, { id: 6, quota: 2 }], seededRandom(3))
    expect(two.met && [...two.reviewersOf.values()].map((ids) => ids.length).sort()).toEqual([2, 3])
  })
})
