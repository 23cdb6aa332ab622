/**
 * A flow network with integer capacities and Dinic's max flow: the distribution of reviews is a
 * flow problem (reviewers' quotas in, documents' review counts out), and Dinic solves the unit
 * capacity middle layer of a lecture (1,000 x 1,000) in milliseconds.
 */
export class FlowNetwork {
  private readonly head: number[]
  private readonly to: number[] = []
  private readonly capacity: number[] = []
  private readonly next: number[] = []
  private level: number[] = []
  private cursor: number[] = []

  constructor(readonly nodes: number) {
    this.head = new Array<number>(nodes).fill(-1)
  }

  /** Adds an edge `from` -> `to`; returns its index, for `flowOn`. */
  addEdge(from: number, to: number, capacity: number): number {
    const edge = this.to.length
    this.link(from, to, capacity)
    this.link(to, from, 0)
    return edge
  }

  /** The flow on edge `edge` after `maxFlow`: what its reverse edge holds. */
  flowOn(edge: number): number {
    return this.capacity[edge ^ 1]!
  }

  maxFlow(source: number, sink: number): number {
    let total = 0
    while (this.levelGraph(source, sink)) {
      this.cursor = [...this.head]
      for (let pushed = this.push(source, sink, Infinity); pushed > 0; pushed = this.push(source, sink, Infinity)) total += pushed
    }
    return total
  }

  private link(from: number, to: number, capacity: number): void {
    this.to.push(to)
    this.capacity.push(capacity)
    this.next.push(this.head[from]!)
    this.head[from] = this.to.length - 1
  }

  /** Breadth-first levels from `source` over edges with capacity left; false when `sink` is out of reach. */
  private levelGraph(source: number, sink: number): boolean {
    this.level = new Array<number>(this.nodes).fill(-1)
    this.level[source] = 0
    const queue = [source]
    for (let index = 0; index < queue.length; index++) {
      const node = queue[index]!
      for (let edge = this.head[node]!; edge !== -1; edge = this.next[edge]!) {
        const target = this.to[edge]!
        if (this.capacity[edge]! > 0 && this.level[target] === -1) {
          this.level[target] = this.level[node]! + 1
          queue.push(target)
        }
      }
    }
    return this.level[sink] !== -1
  }

  /** One augmenting path along the levels, at most `limit`; edges found full are skipped for good this phase. */
  private push(node: number, sink: number, limit: number): number {
    if (node === sink) return limit
    for (; this.cursor[node] !== -1; this.cursor[node] = this.next[this.cursor[node]!]!) {
      const edge = this.cursor[node]!
      const target = this.to[edge]!
      if (this.capacity[edge]! <= 0 || this.level[target] !== this.level[node]! + 1) continue
      const pushed = this.push(target, sink, Math.min(limit, this.capacity[edge]!))
      if (pushed > 0) {
        this.capacity[edge]! -= pushed
        this.capacity[edge ^ 1]! += pushed
        return pushed
      }
    }
    return 0
  }
}
