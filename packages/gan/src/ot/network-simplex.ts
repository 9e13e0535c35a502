/**
 * Primal network simplex for the balanced transportation problem (a bipartite min-cost flow), the
 * algorithm behind POT's `emd` (Bonneel et al. 2011, adapted from LEMON; Ahuja, Magnanti & Orlin,
 * *Network Flows* (1993), ch. 11). Written from the textbook description:
 *
 * - nodes: n1 sources (supply a_i > 0), n2 sinks (demand b_j > 0) and an artificial root; every node
 *   starts attached to the root by an artificial arc (cost 0 from a source, a large cost to a sink),
 *   so the initial spanning tree is a feasible basis;
 * - entering arc: block search over the n1·n2 real arcs (blocks of √(n1·n2)), most negative reduced
 *   cost c_ij + π_i − π_j in the first block that has one;
 * - leaving arc: the last blocking arc of the cycle met when walking it from the apex in the direction
 *   of the entering arc (Cunningham's strongly feasible trees — no cycling under degeneracy);
 * - tree update: the subtree cut off by the leaving arc is re-hung below the entering arc and its
 *   parents, depths and potentials are recomputed by a depth-first walk over the tree's adjacency,
 *   kept as doubly linked half-edge lists in typed arrays (one slot per tree arc).
 *
 * Every source only has outgoing arcs (to sinks, and its artificial arc to the root) and every sink
 * only incoming ones, so the arc joining a node to its parent points upward exactly for sources.
 *
 * @internal Inputs are clean (positive weights with equal sums, non-negative finite costs).
 */

/** Output of {@link networkSimplex}. */
export interface NetworkSimplexResult {
  /** Flow on the n1·n2 real arcs, row-major. */
  flow: Float64Array;
  /** Node potentials π (sources 0..n1−1, then sinks); optimality: c_ij + π_i − π_j ≥ 0. */
  pi: Float64Array;
  iterations: number;
  converged: boolean;
  /** Largest |flow| left on an artificial arc (0 in exact arithmetic). */
  artificialResidual: number;
}

const EPS = 1e-14;

/**
 * Solves min Σ c_ij x_ij over x ≥ 0 with row sums `supply` and column sums `demand` (equal totals) by the
 * network simplex described above; stops after `maxIterations` pivots (then `converged` is false).
 * @param supply - n1 positive supplies; @param demand - n2 positive demands
 * @param cost - row-major n1×n2 non-negative finite costs
 * @internal called by `solveEmd` on validated, support-restricted, shifted costs
 */
export function networkSimplex(
  supply: Float64Array,
  demand: Float64Array,
  cost: Float64Array,
  maxIterations: number,
): NetworkSimplexResult {
  const n1 = supply.length;
  const n2 = demand.length;
  const nReal = n1 * n2;
  const N = n1 + n2; // real nodes; root = N
  const root = N;
  const nArcs = nReal + N;

  let maxCost = 0;
  for (let e = 0; e < nReal; e++) if (cost[e]! > maxCost) maxCost = cost[e]!;
  const artCost = (maxCost + 1) * (N + 1);

  const arcCost = new Float64Array(nArcs);
  arcCost.set(cost);
  const flow = new Float64Array(nArcs);
  const nonTree = new Uint8Array(nReal).fill(1);
  const parent = new Int32Array(N + 1);
  const pred = new Int32Array(N + 1);
  const depth = new Int32Array(N + 1);
  const pi = new Float64Array(N + 1);
  // tree adjacency: slot s holds one tree arc; half-edges 2s (at one end) and 2s+1 (at the other)
  const slotArc = new Int32Array(N);
  const arcSlot = new Int32Array(nArcs).fill(-1);
  const heTo = new Int32Array(2 * N);
  const heNext = new Int32Array(2 * N);
  const hePrev = new Int32Array(2 * N);
  const head = new Int32Array(N + 1).fill(-1);
  const stack = new Int32Array(N + 1);

  const pushHalf = (h: number, owner: number, to: number) => {
    heTo[h] = to;
    const first = head[owner]!;
    heNext[h] = first;
    hePrev[h] = -1;
    if (first >= 0) hePrev[first] = h;
    head[owner] = h;
  };
  const dropHalf = (h: number) => {
    const owner = heTo[h ^ 1]!;
    const p = hePrev[h]!;
    const nx = heNext[h]!;
    if (p >= 0) heNext[p] = nx;
    else head[owner] = nx;
    if (nx >= 0) hePrev[nx] = p;
  };
  const link = (e: number, slot: number) => {
    const u = e < nReal ? (e / n2) | 0 : e - nReal;
    const v = e < nReal ? n1 + (e % n2) : root;
    slotArc[slot] = e;
    arcSlot[e] = slot;
    pushHalf(2 * slot, u, v);
    pushHalf(2 * slot + 1, v, u);
  };
  const unlink = (e: number): number => {
    const slot = arcSlot[e]!;
    dropHalf(2 * slot);
    dropHalf(2 * slot + 1);
    arcSlot[e] = -1;
    return slot;
  };

  // initial basis: every node hangs from the root by its artificial arc
  parent[root] = -1;
  pred[root] = -1;
  for (let u = 0; u < N; u++) {
    const e = nReal + u;
    parent[u] = root;
    pred[u] = e;
    depth[u] = 1;
    if (u < n1) {
      flow[e] = supply[u]!;
      arcCost[e] = 0;
      pi[u] = 0;
    } else {
      flow[e] = demand[u - n1]!;
      arcCost[e] = artCost;
      pi[u] = artCost;
    }
    link(e, u);
  }

  // one pivot on entering arc `ein` (a real arc at flow 0 with negative reduced cost)
  const pivot = (ein: number): boolean => {
    const first = (ein / n2) | 0;
    const second = n1 + (ein % n2);
    let u = first;
    let v = second;
    while (u !== v) {
      if (depth[u]! >= depth[v]!) u = parent[u]!;
      else v = parent[v]!;
    }
    const join = u;
    let delta = Number.POSITIVE_INFINITY;
    let uOut = -1;
    let side = 0;
    // the arc from w to its parent points upward iff w is a source (w < n1)
    for (let w = first; w !== join; w = parent[w]!) {
      const d = w < n1 ? flow[pred[w]!]! : Number.POSITIVE_INFINITY;
      if (d < delta) {
        delta = d;
        uOut = w;
        side = 1;
      }
    }
    for (let w = second; w !== join; w = parent[w]!) {
      const d = w < n1 ? Number.POSITIVE_INFINITY : flow[pred[w]!]!;
      if (d <= delta) {
        delta = d;
        uOut = w;
        side = 2;
      }
    }
    if (uOut < 0) return false; // no blocking arc: cannot happen for a transportation problem
    if (delta > 0) {
      flow[ein] = flow[ein]! + delta;
      for (let w = first; w !== join; w = parent[w]!) flow[pred[w]!] = flow[pred[w]!]! + (w < n1 ? -delta : delta);
      for (let w = second; w !== join; w = parent[w]!) flow[pred[w]!] = flow[pred[w]!]! + (w < n1 ? delta : -delta);
    }
    const eout = pred[uOut]!;
    flow[eout] = 0;
    const slot = unlink(eout);
    if (eout < nReal) nonTree[eout] = 1;
    nonTree[ein] = 0;
    link(ein, slot);
    const uIn = side === 1 ? first : second;
    const vIn = side === 1 ? second : first;
    // potential shift that makes the reduced cost of the entering arc zero
    const sigma = uIn === first ? pi[second]! - arcCost[ein]! - pi[first]! : arcCost[ein]! + pi[first]! - pi[second]!;
    parent[uIn] = vIn;
    pred[uIn] = ein;
    depth[uIn] = depth[vIn]! + 1;
    pi[uIn] = pi[uIn]! + sigma;
    let sp = 0;
    stack[sp++] = uIn;
    while (sp > 0) {
      const x = stack[--sp]!;
      const px = parent[x]!;
      const dx = depth[x]! + 1;
      for (let h = head[x]!; h >= 0; h = heNext[h]!) {
        const y = heTo[h]!;
        if (y === px) continue;
        if (parent[y] !== x) {
          // only on the stem from uIn to uOut does the parent change
          parent[y] = x;
          pred[y] = slotArc[h >> 1]!;
        }
        depth[y] = dx;
        pi[y] = pi[y]! + sigma;
        stack[sp++] = y;
      }
    }
    return true;
  };

  const piSink = pi.subarray(n1);
  const reducedCostScale = (e: number) =>
    Math.max(Math.abs(arcCost[e]!), Math.abs(pi[(e / n2) | 0]!), Math.abs(piSink[e % n2]!));

  // heuristic initial pivots: the cheapest incoming arc of each sink
  for (let j = 0; j < n2; j++) {
    let best = -1;
    let bestCost = Number.POSITIVE_INFINITY;
    for (let i = 0, e = j; i < n1; i++, e += n2) {
      if (arcCost[e]! < bestCost) {
        bestCost = arcCost[e]!;
        best = e;
      }
    }
    if (nonTree[best] && arcCost[best]! + pi[(best / n2) | 0]! - piSink[j]! < -EPS * reducedCostScale(best)) pivot(best);
  }

  // block-search pricing over whole rows: a block ends at the first row end after √(n1·n2) arcs
  const block = Math.max(Math.floor(Math.sqrt(nReal)), 10);
  let nextRow = 0;
  const findEntering = (): number => {
    let min = 0;
    let best = -1;
    let cnt = 0;
    let i = nextRow;
    for (let k = 0; k < n1; k++) {
      const off = i * n2;
      const pii = pi[i]!;
      for (let j = 0; j < n2; j++) {
        const c = arcCost[off + j]! + pii - piSink[j]!;
        if (c < min && nonTree[off + j]) {
          min = c;
          best = off + j;
        }
      }
      i = i + 1 === n1 ? 0 : i + 1;
      cnt += n2;
      if (cnt >= block) {
        if (best >= 0 && min < -EPS * reducedCostScale(best)) {
          nextRow = i;
          return best;
        }
        cnt = 0;
      }
    }
    return best >= 0 && min < -EPS * reducedCostScale(best) ? best : -1;
  };

  let iterations = 0;
  let converged = false;
  for (;;) {
    const ein = findEntering();
    if (ein < 0) {
      converged = true;
      break;
    }
    if (iterations >= maxIterations || !pivot(ein)) break;
    iterations++;
  }

  let artificialResidual = 0;
  for (let e = nReal; e < nArcs; e++) artificialResidual = Math.max(artificialResidual, Math.abs(flow[e]!));
  return { flow: flow.subarray(0, nReal), pi: pi.subarray(0, N), iterations, converged, artificialResidual };
}
