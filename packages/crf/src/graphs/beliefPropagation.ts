import { DomainError } from '@notes/core-linalg';
import { checkFactorGraph, type FactorGraph } from './factorGraph.js';

/** Result of {@link sumProduct}. */
export interface SumProductResult {
  /** Exact log Z (the graph is a forest). */
  logZ: number;
  /** Exact single-variable marginals p(x_v). */
  marginals: Float64Array[];
}

/**
 * Sum-product belief propagation on a tree-structured (acyclic) factor graph; exact there
 * (Kschischang, Frey & Loeliger 2001; Bishop 2006 §8.4.4):
 * $$\mu_{f\to v}(x_v) = \sum_{x_{A\setminus v}} \Psi_f(x_A) \prod_{u\in A\setminus v} \mu_{u\to f}(x_u),\qquad
 * \mu_{v\to f}(x_v) = \prod_{g \ni v,\, g\neq f} \mu_{g\to v}(x_v).$$
 * Messages are normalised (each table is divided by its largest entry first, so huge finite potentials do not
 * overflow); the log normalisers of the inward pass add up to log Z. On a chain this is the
 * forward–backward algorithm of `chainMarginals`.
 * @throws DomainError when the factor graph has a cycle or Z = 0.
 */
export function sumProduct(fg: FactorGraph): SumProductResult {
  checkFactorGraph('sumProduct', fg);
  const cards = fg.cardinalities;
  const nV = cards.length;
  const nF = fg.factors.length;
  const N = nV + nF;
  const adj: number[][] = Array.from({ length: N }, () => []);
  let nEdges = 0;
  fg.factors.forEach((f, k) => {
    for (const v of f.scope) {
      adj[v].push(nV + k);
      adj[nV + k].push(v);
      nEdges++;
    }
  });
  // BFS forest rooted at variables; tree check |E| = |V| − components.
  const parent = new Int32Array(N).fill(-2);
  const order: number[] = [];
  let comps = 0;
  const roots: number[] = [];
  for (let s = 0; s < N; s++) {
    if (parent[s] !== -2) continue;
    comps++;
    roots.push(s);
    parent[s] = -1;
    const start = order.length;
    order.push(s);
    for (let k = start; k < order.length; k++) {
      for (const w of adj[order[k]]) {
        if (parent[w] === -2) {
          parent[w] = order[k];
          order.push(w);
        }
      }
    }
  }
  if (nEdges !== N - comps) throw new DomainError('sumProduct: the factor graph has a cycle; belief propagation is exact only on trees');
  const card = (node: number) => (node < nV ? cards[node] : 0);
  // msg[a][b]: message from node a to neighbour b, over the variable among {a, b}.
  const msg = new Map<number, Float64Array>();
  const key = (a: number, b: number) => a * N + b;
  let logZ = 0;
  const send = (a: number, b: number): number => {
    let m: Float64Array;
    let logScale = 0;
    if (a < nV) {
      m = new Float64Array(card(a)).fill(1);
      for (const g of adj[a]) {
        if (g === b) continue;
        const inc = msg.get(key(g, a))!;
        for (let i = 0; i < m.length; i++) m[i] *= inc[i];
      }
    } else {
      const f = fg.factors[a - nV];
      // divide by the table's largest entry so the sum cannot overflow; its log is added back to log Z below
      let scale = 0;
      for (const v of f.table) if (v > scale) scale = v;
      if (scale === 0) throw new DomainError('sumProduct: a message is identically zero (Z = 0)');
      logScale = Math.log(scale);
      m = new Float64Array(card(b));
      const x = new Int32Array(nV);
      const sc = f.scope;
      for (let idx = 0; idx < f.table.length; idx++) {
        let r = idx;
        for (let s = sc.length - 1; s >= 0; s--) {
          x[sc[s]] = r % cards[sc[s]];
          r = Math.floor(r / cards[sc[s]]);
        }
        let p = f.table[idx] / scale;
        for (const u of sc) if (u !== b) p *= msg.get(key(u, a))![x[u]];
        m[x[b]] += p;
      }
    }
    let s = 0;
    for (const v of m) s += v;
    if (!(s > 0)) throw new DomainError('sumProduct: a message is identically zero (Z = 0)');
    for (let i = 0; i < m.length; i++) m[i] /= s;
    msg.set(key(a, b), m);
    return Math.log(s) + logScale;
  };
  for (let k = order.length - 1; k >= 0; k--) {
    const a = order[k];
    if (parent[a] >= 0) logZ += send(a, parent[a]);
  }
  for (const r of roots) {
    if (r < nV) {
      let s = 0;
      const b = new Float64Array(cards[r]).fill(1);
      for (const g of adj[r]) {
        const inc = msg.get(key(g, r))!;
        for (let i = 0; i < b.length; i++) b[i] *= inc[i];
      }
      for (const v of b) s += v;
      logZ += Math.log(s);
    } else {
      // a factor with no variables (empty scope) contributes its single value
      const f = fg.factors[r - nV];
      if (f.scope.length === 0) logZ += Math.log(f.table[0]);
    }
  }
  for (const a of order) for (const b of adj[a]) if (parent[b] === a) send(a, b);
  const marginals = cards.map((c, v) => {
    const b = new Float64Array(c).fill(1);
    for (const g of adj[v]) {
      const inc = msg.get(key(g, v))!;
      for (let i = 0; i < c; i++) b[i] *= inc[i];
    }
    let s = 0;
    for (const x of b) s += x;
    for (let i = 0; i < c; i++) b[i] /= s;
    return b;
  });
  return { logZ, marginals };
}
