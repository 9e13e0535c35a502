import {
  assertInteger,
  assertNonEmpty,
  DomainError,
  describeValue,
  type RandomnessOptions,
  type Rng,
  readLabels,
  readMatrix,
  sampleCategorical,
  ShapeError,
} from '@notes/core-linalg';
import { checkProbabilityRows } from '../hmm/emissions.js';
import { readRandom } from '../hmm/hmm.js';
import { createFactorGraph, type FactorGraph } from './factorGraph.js';
import { DirectedGraph } from './graph.js';

/** One node of a Bayesian network: its cardinality, parents and conditional probability table. */
export interface BayesNode {
  /** Number of states. */
  cardinality: number;
  /** Parent node indices π(v). */
  parents: readonly number[];
  /**
   * CPT: one probability row $p(v \mid \pi(v) = c)$ per parent configuration c, configurations row-major
   * over `parents` (last parent fastest); a root node has one row.
   */
  cpt: readonly ArrayLike<number>[];
}

/**
 * A discrete Bayesian network (notes: 有向图模型, $p(y, x) = \prod_{v\in V} p(v \mid \pi(v))$). Immutable;
 * build with {@link createBayesNet}.
 */
export interface BayesNet {
  readonly graph: DirectedGraph;
  readonly nodes: readonly BayesNode[];
  /** Topological order used by ancestral sampling. */
  readonly order: readonly number[];
  /** $\log p(x) = \sum_v \log p(x_v \mid x_{\pi(v)})$ (−∞ for impossible assignments). */
  logProb(x: ArrayLike<number>): number;
  /** Ancestral sampling: draw each node after its parents from its CPT row. */
  sample(random?: Rng | RandomnessOptions): Int32Array;
  /** The same distribution as a factor graph with one factor per CPT (Z = 1). */
  toFactorGraph(): FactorGraph;
}

/**
 * Builds a {@link BayesNet}, validating that the graph is acyclic and that each CPT row is a probability vector.
 * @throws ShapeError (CPT sizes), DomainError (cycles, rows not summing to 1, bad indices).
 */
export function createBayesNet(nodes: readonly BayesNode[]): BayesNet {
  const where = 'createBayesNet';
  if (!Array.isArray(nodes)) throw new ShapeError(`${where}: argument 'nodes' must be an array of { cardinality, parents, cpt }, got ${describeValue(nodes)}`);
  assertNonEmpty(where, 'nodes', nodes);
  const n = nodes.length;
  const edges: [number, number][] = [];
  const copy: BayesNode[] = Array.from({ length: n }, (_, v) => {
    const nd = nodes[v];
    if (typeof nd !== 'object' || nd === null || Array.isArray(nd)) throw new ShapeError(`${where}: argument 'nodes[${v}]' must be { cardinality, parents, cpt }, got ${describeValue(nd)}`);
    assertInteger(where, `nodes[${v}].cardinality`, nd.cardinality, 1);
    if (!Array.isArray(nd.parents)) throw new ShapeError(`${where}: argument 'nodes[${v}].parents' must be an array, got ${describeValue(nd.parents)}`);
    for (let i = 0; i < nd.parents.length; i++) {
      const p = nd.parents[i];
      assertInteger(where, `nodes[${v}].parents[${i}]`, p, 0, n - 1);
      edges.push([p, v]);
    }
    return { cardinality: nd.cardinality, parents: [...nd.parents], cpt: [] };
  });
  const graph = new DirectedGraph(n, edges);
  if (!graph.isAcyclic()) throw new DomainError(`${where}: the parent structure has a directed cycle`);
  nodes.forEach((nd, v) => {
    const rows = nd.parents.reduce((p: number, u: number) => p * nodes[u].cardinality, 1);
    const cpt = readMatrix(where, `nodes[${v}].cpt`, nd.cpt, { rows, columns: nd.cardinality });
    checkProbabilityRows(where, `nodes[${v}].cpt`, cpt.data, rows, nd.cardinality);
    copy[v].cpt = Array.from({ length: rows }, (_, r) => cpt.data.slice(r * nd.cardinality, (r + 1) * nd.cardinality));
  });
  const order = graph.topologicalOrder();
  const rowOf = (v: number, x: ArrayLike<number>) => {
    let r = 0;
    for (const u of copy[v].parents) r = r * copy[u].cardinality + x[u];
    return r;
  };
  return {
    graph,
    nodes: copy,
    order,
    logProb(x) {
      x = readLabels('BayesNet.logProb', 'x', x, { length: n });
      let lp = 0;
      for (let v = 0; v < n; v++) {
        assertInteger('BayesNet.logProb', `x[${v}]`, x[v], 0, copy[v].cardinality - 1);
        lp += Math.log(copy[v].cpt[rowOf(v, x)][x[v]]);
      }
      return lp;
    },
    sample(random) {
      const rng = readRandom('BayesNet.sample', random);
      const x = new Int32Array(n);
      for (const v of order) x[v] = sampleCategorical(rng, copy[v].cpt[rowOf(v, x)]);
      return x;
    },
    toFactorGraph() {
      return createFactorGraph(
        copy.map((c) => c.cardinality),
        copy.map((c, v) => {
          const table: number[] = [];
          for (const row of c.cpt) for (let i = 0; i < row.length; i++) table.push(row[i]);
          return { scope: [...c.parents, v], table };
        }),
      );
    },
  };
}
