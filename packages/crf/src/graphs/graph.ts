import { assertInteger, checkMemory, DomainError, describeValue, ShapeError } from '@notes/core-linalg';

/** An edge (v, w) between node indices. */
export type Edge = readonly [number, number];

function checkEdges(where: string, n: number, edges: readonly Edge[]): void {
  assertInteger(where, 'n', n, 0);
  checkMemory(where, `adjacency lists of ${n} nodes`, 64 * n, { alternative: 'a smaller graph' });
  if (!Array.isArray(edges)) throw new ShapeError(`${where}: argument 'edges' must be an array of [v, w] pairs, got ${describeValue(edges)}`);
  for (let k = 0; k < edges.length; k++) {
    const e = edges[k];
    if (!Array.isArray(e) || e.length !== 2) throw new ShapeError(`${where}: argument 'edges[${k}]' must be a pair [v, w], got ${k in edges ? describeValue(e) : 'a hole'}`);
    assertInteger(where, `edges[${k}][0]`, e[0], 0, n - 1);
    assertInteger(where, `edges[${k}][1]`, e[1], 0, n - 1);
    if (e[0] === e[1]) throw new DomainError(`${where}: argument 'edges[${k}]' is a self-loop on node ${e[0]}`);
  }
}

/**
 * Directed graph G = (V, E): an edge (v, w) makes v a parent of w (notes: 图, 有向图). Used for Bayesian
 * networks, where $P(W) = \prod_{w} P(w \mid \mathrm{Parents}(w))$.
 */
export class DirectedGraph {
  /** Number of nodes |V|. */
  readonly n: number;
  /** Edge list (copied). */
  readonly edges: readonly Edge[];
  readonly #parents: number[][];
  readonly #children: number[][];

  /** @throws DomainError on out-of-range nodes, self-loops or duplicate edges. */
  constructor(n: number, edges: readonly Edge[]) {
    checkEdges('DirectedGraph', n, edges);
    this.n = n;
    this.edges = edges.map((e) => [e[0], e[1]] as const);
    this.#parents = Array.from({ length: n }, () => []);
    this.#children = Array.from({ length: n }, () => []);
    const seen = new Set<string>();
    for (const [v, w] of edges) {
      const key = `${v},${w}`;
      if (seen.has(key)) throw new DomainError(`DirectedGraph: duplicate edge (${v}, ${w})`);
      seen.add(key);
      this.#parents[w].push(v);
      this.#children[v].push(w);
    }
  }

  /** Parents π(v) in insertion order. */
  parents(v: number): readonly number[] {
    return this.#parents[v];
  }

  /** Children of v. */
  children(v: number): readonly number[] {
    return this.#children[v];
  }

  /** True when the graph has no directed cycle. */
  isAcyclic(): boolean {
    return this.#kahn() !== null;
  }

  /**
   * A topological order (parents before children) by Kahn's algorithm (smallest ready index first).
   * @throws DomainError when the graph has a directed cycle.
   */
  topologicalOrder(): number[] {
    const order = this.#kahn();
    if (order === null) throw new DomainError('DirectedGraph.topologicalOrder: the graph has a directed cycle');
    return order;
  }

  #kahn(): number[] | null {
    const indeg = this.#parents.map((p) => p.length);
    const ready: number[] = [];
    for (let v = 0; v < this.n; v++) if (indeg[v] === 0) ready.push(v);
    const order: number[] = [];
    while (ready.length > 0) {
      ready.sort((a, b) => b - a);
      const v = ready.pop()!;
      order.push(v);
      for (const w of this.#children[v]) if (--indeg[w] === 0) ready.push(w);
    }
    return order.length === this.n ? order : null;
  }
}

/** Undirected graph: (v, w) = (w, v) (notes: 无向图, Markov random field). */
export class UndirectedGraph {
  /** Number of nodes. */
  readonly n: number;
  /** Edge list with v < w (copied, deduplicated check). */
  readonly edges: readonly Edge[];
  readonly #adj: number[][];

  /** @throws DomainError on out-of-range nodes, self-loops or duplicate edges. */
  constructor(n: number, edges: readonly Edge[]) {
    checkEdges('UndirectedGraph', n, edges);
    this.n = n;
    this.#adj = Array.from({ length: n }, () => []);
    const seen = new Set<string>();
    const list: Edge[] = [];
    for (const [a, b] of edges) {
      const v = Math.min(a, b);
      const w = Math.max(a, b);
      if (seen.has(`${v},${w}`)) throw new DomainError(`UndirectedGraph: duplicate edge (${v}, ${w})`);
      seen.add(`${v},${w}`);
      list.push([v, w]);
      this.#adj[v].push(w);
      this.#adj[w].push(v);
    }
    this.edges = list;
  }

  /** Neighbours of v. */
  neighbours(v: number): readonly number[] {
    return this.#adj[v];
  }

  /** Connected components as arrays of node indices (BFS order). */
  components(): number[][] {
    const comp: number[][] = [];
    const seen = new Uint8Array(this.n);
    for (let s = 0; s < this.n; s++) {
      if (seen[s]) continue;
      const q = [s];
      seen[s] = 1;
      for (let k = 0; k < q.length; k++) {
        for (const w of this.#adj[q[k]]) {
          if (!seen[w]) {
            seen[w] = 1;
            q.push(w);
          }
        }
      }
      comp.push(q);
    }
    return comp;
  }

  /** True when the graph has no cycle (a forest): |E| = |V| − #components. */
  isForest(): boolean {
    return this.edges.length === this.n - this.components().length;
  }

  /** The undirected skeleton of a directed graph (moralisation is not applied). */
  static fromDirected(g: DirectedGraph): UndirectedGraph {
    if (!(g instanceof DirectedGraph)) throw new DomainError(`UndirectedGraph.fromDirected: argument 'g' must be a DirectedGraph, got ${describeValue(g)}`);
    return new UndirectedGraph(g.n, g.edges);
  }
}
