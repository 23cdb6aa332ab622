import { FlowNetwork } from './FlowNetwork.js'
import { shuffled } from './seededRandom.js'

/** A thing to review (a document or submission) and the user who wrote it. */
export interface ReviewTask {
  id: number
  ownerId: number
}

/** A reviewer and how many different tasks they review. */
export interface ReviewerQuota {
  id: number
  quota: number
}

/** The reviewers of each task (by task id), or the reviewers whose quota no distribution can meet and by how much. */
export type Distribution = { met: true; reviewersOf: Map<number, number[]> } | { met: false; shortfalls: { reviewerId: number; missing: number }[] }

/**
 * Gives every reviewer exactly their quota of different tasks, never one they wrote, with the
 * numbers of reviews per task as even as the quotas allow: the smallest spread between the most
 * and the least reviewed task that any distribution reaches (at most one whenever one exists).
 * It is a flow problem: quotas flow from the reviewers through "may review" edges into the tasks,
 * whose review counts are held between a lower and an upper bound, widened until a flow meets
 * every quota. `random` shuffles reviewers, tasks and edges, so among the best distributions the
 * seed picks one, and the same seed always picks the same.
 */
export function distributeReviews(tasks: readonly ReviewTask[], reviewers: readonly ReviewerQuota[], random: () => number): Distribution {
  const order = { tasks: shuffled(tasks, random), reviewers: shuffled(reviewers, random) }
  const edgeOrder = order.reviewers.map(() => shuffled(Array.from(order.tasks.keys()), random))
  // Without bounds on the review counts, reviewers do not compete: each needs only enough tasks not their own.
  const shortfalls = reviewers
    .map((reviewer) => ({ reviewerId: reviewer.id, missing: reviewer.quota - tasks.filter((task) => task.ownerId !== reviewer.id).length }))
    .filter((shortfall) => shortfall.missing > 0)
  if (shortfalls.length > 0) return { met: false, shortfalls }
  const total = reviewers.reduce((sum, reviewer) => sum + reviewer.quota, 0)
  const average = tasks.length === 0 ? 0 : total / tasks.length
  // The window [0, reviewers] always holds a distribution now, so the search ends.
  for (let spread = 0; ; spread++) {
    for (let low = Math.floor(average); low >= Math.max(0, Math.ceil(average) - spread); low--) {
      const result = flowWithin(order, edgeOrder, low, low + spread)
      if (result.met) return result
    }
  }
}

type Ordered = { tasks: readonly ReviewTask[]; reviewers: readonly ReviewerQuota[] }

/**
 * A distribution in which every task gets between `low` and `high` reviews, if one exists: a
 * circulation with lower bounds (reviewer quotas exactly, task counts at least `low`), found as a
 * max flow from a super source that must fill every lower bound.
 */
function flowWithin({ tasks, reviewers }: Ordered, edgeOrder: readonly number[][], low: number, high: number): Distribution {
  const [superSource, superSink, source, sink] = [0, 1, 2, 3]
  const reviewerNode = (index: number) => 4 + index
  const taskNode = (index: number) => 4 + reviewers.length + index
  const network = new FlowNetwork(4 + reviewers.length + tasks.length)
  const total = reviewers.reduce((sum, reviewer) => sum + reviewer.quota, 0)
  const quotaEdges = reviewers.map((reviewer, index) => network.addEdge(superSource, reviewerNode(index), reviewer.quota))
  network.addEdge(source, superSink, total)
  network.addEdge(superSource, sink, tasks.length * low)
  network.addEdge(sink, source, Number.MAX_SAFE_INTEGER)
  const reviewEdges: { reviewer: number; task: number; edge: number }[] = []
  reviewers.forEach((reviewer, index) => {
    for (const task of edgeOrder[index]!) {
      if (tasks[task]!.ownerId === reviewer.id) continue
      reviewEdges.push({ reviewer: index, task, edge: network.addEdge(reviewerNode(index), taskNode(task), 1) })
    }
  })
  tasks.forEach((_task, index) => {
    network.addEdge(taskNode(index), sink, high - low)
    network.addEdge(taskNode(index), superSink, low)
  })
  if (network.maxFlow(superSource, superSink) < total + tasks.length * low) {
    const shortfalls = reviewers
      .map((reviewer, index) => ({ reviewerId: reviewer.id, missing: reviewer.quota - network.flowOn(quotaEdges[index]!) }))
      .filter((shortfall) => shortfall.missing > 0)
    return { met: false, shortfalls }
  }
  const reviewersOf = new Map(tasks.map((task) => [task.id, [] as number[]]))
  for (const { reviewer, task, edge } of reviewEdges) if (network.flowOn(edge) > 0) reviewersOf.get(tasks[task]!.id)!.push(reviewers[reviewer]!.id)
  for (const ids of reviewersOf.values()) ids.sort((a, b) => a - b)
  return { met: true, reviewersOf }
}
