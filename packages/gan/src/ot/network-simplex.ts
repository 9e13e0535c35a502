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
 * - tree: parent and parent-arc of every node, a preorder thread (doubly linked, circular through the
 *   root), subtree sizes and each subtree's last node in preorder — the representation of LEMON's
 *   network simplex (Kovács 2015, §4; Bonneel et al.), so that finding the cycle's apex walks up by
 *   subtree size, and re-hanging the subtree cut off by the leaving arc below the entering arc
 *   relinks O(stem) thread pieces (see the comments in the pivot); only the
 *   potential shift visits that subtree, as a walk along the thread.
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
/** The simplex yields after this many pivots … */
const YIELD_PIVOTS = 16;
/** … or once this many arcs were priced since the last yield. */
const YIELD_ARCS = 1 << 18;

/** Live progress of a running simplex, updated before every yield. */
export interface SimplexProgress {
  /** Pivots done (the heuristic initial pivots are not counted). */
  iterations: number;
  /** Σ flow·cost over all arcs of the current basis, artificial arcs included (→ the optimal cost). */
  objective: number;
}

/**
 * Solves min Σ c_ij x_ij over x ≥ 0 with row sums `supply` and column sums `demand` (equal totals) by the
 * network simplex described above; stops after `maxIterations` pivots (then `converged` is false).
 * A generator: it yields after every 16 pivots or 2^18 priced arcs, whichever comes first (with
 * `progress` updated), so one loop serves the
 * synchronous and the asynchronous driver (core's `runFit` / `runFitAsync`).
 * @param supply - n1 positive supplies; @param demand - n2 positive demands
 * @param cost - row-major n1×n2 non-negative finite costs
 * @internal called by `emd` on validated, support-restricted, shifted costs
 */
export function* networkSimplex(
  supply: Float64Array,
  demand: Float64Array,
  cost: Float64Array,
  maxIterations: number,
  progress: SimplexProgress = { iterations: 0, objective: 0 },
): Generator<void, NetworkSimplexResult, void> {
  // the pivots run in a plain closure (V8 optimises the hot loop of a generator less well: a generator
  // around every pivot cost 17 % on emd 500×500); the generator only hands out its checkpoints
  const machine = simplexMachine(supply, demand, cost, maxIterations, progress);
  yield;
  while (!machine.advance()) yield;
  return machine.result();
}

/** The simplex as a resumable machine: `advance()` runs a batch of pivots, `result()` reads the solution. */
function simplexMachine(
  supply: Float64Array,
  demand: Float64Array,
  cost: Float64Array,
  maxIterations: number,
  progress: SimplexProgress,
): { advance(): boolean; result(): NetworkSimplexResult } {
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
  const pi = new Float64Array(N + 1);
  // preorder thread (circular through the root), subtree sizes and last node of each subtree
  const thread = new Int32Array(N + 1);
  const revThread = new Int32Array(N + 1);
  const succNum = new Int32Array(N + 1);
  const lastSucc = new Int32Array(N + 1);
  // per-pivot scratch: the stem u_in … u_out and the thread pieces of the re-hung subtree
  const stem = new Int32Array(N + 1);
  const stemSize = new Int32Array(N + 1);
  const pieceFirst = new Int32Array(2 * N + 2);
  const pieceLast = new Int32Array(2 * N + 2);

  // initial basis: every node hangs from the root by its artificial arc; preorder root, 0, 1, …, N−1
  parent[root] = -1;
  pred[root] = -1;
  succNum[root] = N + 1;
  lastSucc[root] = N - 1;
  thread[root] = 0;
  revThread[0] = root;
  for (let u = 0; u < N; u++) {
    const e = nReal + u;
    parent[u] = root;
    pred[u] = e;
    succNum[u] = 1;
    lastSucc[u] = u;
    thread[u] = u + 1 < N ? u + 1 : root;
    if (u + 1 < N) revThread[u + 1] = u;
    if (u < n1) {
      flow[e] = supply[u]!;
      arcCost[e] = 0;
      pi[u] = 0;
    } else {
      flow[e] = demand[u - n1]!;
      arcCost[e] = artCost;
      pi[u] = artCost;
    }
  }
  revThread[root] = N - 1;
  let objective = 0;
  for (let j = 0; j < n2; j++) objective += demand[j]! * artCost;
  progress.objective = objective;

  // one pivot on entering arc `ein` (a real arc at flow 0 with negative reduced cost); returns the flow
  // pushed around the cycle, or −1 when there is no blocking arc
  const pivot = (ein: number): number => {
    const first = (ein / n2) | 0;
    const second = n1 + (ein % n2);
    // apex of the cycle: an ancestor has a larger subtree, so climb from the smaller one
    let u = first;
    let v = second;
    while (u !== v) {
      if (succNum[u]! < succNum[v]!) u = parent[u]!;
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
    if (uOut < 0) return -1; // no blocking arc: cannot happen for a transportation problem
    if (delta > 0) {
      flow[ein] = flow[ein]! + delta;
      for (let w = first; w !== join; w = parent[w]!) flow[pred[w]!] = flow[pred[w]!]! + (w < n1 ? -delta : delta);
      for (let w = second; w !== join; w = parent[w]!) flow[pred[w]!] = flow[pred[w]!]! + (w < n1 ? delta : -delta);
    }
    const eout = pred[uOut]!;
    flow[eout] = 0;
    if (eout < nReal) nonTree[eout] = 1;
    nonTree[ein] = 0;
    const uIn = side === 1 ? first : second;
    const vIn = side === 1 ? second : first;
    // potential shift that makes the reduced cost of the entering arc zero
    const sigma = uIn === first ? pi[second]! - arcCost[ein]! - pi[first]! : arcCost[ein]! + pi[first]! - pi[second]!;

    // The subtree T of uOut is cut off and re-hung below vIn, re-rooted at uIn. Stem s_0 = uIn, …,
    // s_k = uOut (old parents). New preorder of T: the old segment of s_0, then for t = 1 … k the old
    // segment of s_t without that of s_{t−1} — a part A_t before it and a part B_t after it.
    let k = 0;
    for (let w = uIn; ; w = parent[w]!) {
      stem[k] = w;
      stemSize[k] = succNum[w]!;
      if (w === uOut) break;
      k++;
    }
    const size = succNum[uOut]!;
    const oldLast = lastSucc[uOut]!;
    const before = revThread[uOut]!;
    const after = thread[oldLast]!;
    const pOut = parent[uOut]!;
    let pieces = 0;
    pieceFirst[pieces] = uIn;
    pieceLast[pieces++] = lastSucc[uIn]!;
    for (let t = 1; t <= k; t++) {
      const st = stem[t]!;
      const prev = stem[t - 1]!;
      pieceFirst[pieces] = st;
      pieceLast[pieces++] = revThread[prev]!;
      const prevLast = lastSucc[prev]!;
      if (prevLast !== lastSucc[st]!) {
        pieceFirst[pieces] = thread[prevLast]!;
        pieceLast[pieces++] = lastSucc[st]!;
      }
    }
    const newLast = pieceLast[pieces - 1]!;

    // subtree sizes: the stem from the bottom up (new |s_t| = old |s_t| − old |s_{t−1}| + new |s_{t+1}|),
    // then the two paths to the apex (above it the changes cancel)
    let below = 0;
    for (let t = k; t >= 0; t--) {
      below += stemSize[t]! - (t > 0 ? stemSize[t - 1]! : 0);
      succNum[stem[t]!] = below;
    }
    for (let w = pOut; w !== join; w = parent[w]!) succNum[w] = succNum[w]! - size;
    for (let w = vIn; w !== join; w = parent[w]!) succNum[w] = succNum[w]! + size;

    // last nodes in preorder: every stem node's subtree now ends at newLast; subtrees that ended with T
    // end just before it, and subtrees that ended at vIn (a leaf) now end with T
    for (let t = 0; t <= k; t++) lastSucc[stem[t]!] = newLast;
    for (let w = pOut; w >= 0 && lastSucc[w] === oldLast; w = parent[w]!) lastSucc[w] = before;
    for (let w = vIn; w >= 0 && lastSucc[w] === vIn; w = parent[w]!) lastSucc[w] = newLast;

    // thread: unlink T's old segment, then splice the pieces in right after vIn
    thread[before] = after;
    revThread[after] = before;
    const next = thread[vIn]!;
    let tail = vIn;
    for (let q = 0; q < pieces; q++) {
      thread[tail] = pieceFirst[q]!;
      revThread[pieceFirst[q]!] = tail;
      tail = pieceLast[q]!;
    }
    thread[tail] = next;
    revThread[next] = tail;

    // parents and parent arcs along the stem are reversed; uIn hangs from vIn by the entering arc
    let up = vIn;
    let upArc = ein;
    for (let t = 0; t <= k; t++) {
      const st = stem[t]!;
      const arc = pred[st]!;
      parent[st] = up;
      pred[st] = upArc;
      up = st;
      upArc = arc;
    }
    // potentials of T shift by sigma: a walk of |T| steps along the new thread from uIn
    for (let q = 0, x = uIn; q < size; q++, x = thread[x]!) pi[x] = pi[x]! + sigma;
    return delta;
  };
  /** Reduced cost c_e + π_i − π_j of a real arc. */
  const reduced = (e: number) => arcCost[e]! + pi[(e / n2) | 0]! - pi[n1 + (e % n2)]!;

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
    if (nonTree[best] && arcCost[best]! + pi[(best / n2) | 0]! - piSink[j]! < -EPS * reducedCostScale(best)) {
      const rc = reduced(best);
      const delta = pivot(best);
      if (delta > 0) objective += delta * rc;
    }
  }
  progress.objective = objective;

  // block-search pricing over whole rows: a block ends at the first row end after √(n1·n2) arcs
  const block = Math.max(Math.floor(Math.sqrt(nReal)), 10);
  let nextRow = 0;
  let scanned = 0; // arcs priced since the last yield
  const findEntering = (): number => {
    let min = 0;
    let best = -1;
    let cnt = 0;
    let i = nextRow;
    for (let k = 0; k < n1; k++) {
      const off = i * n2;
      const pii = pi[i]!;
      const e = rowArgMin(arcCost, piSink, nonTree, off, n2, pii, min);
      if (e >= 0) {
        best = e;
        min = arcCost[e]! + pii - piSink[e - off]!;
      }
      i = i + 1 === n1 ? 0 : i + 1;
      cnt += n2;
      scanned += n2;
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
  let done = false;
  // runs pivots until 16 are done or 2^18 arcs were priced (pricing near the optimum scans them all),
  // or the simplex stops; true when it stopped
  const advance = (): boolean => {
    for (;;) {
      const ein = findEntering();
      if (ein < 0) {
        converged = true;
        done = true;
        break;
      }
      if (iterations >= maxIterations) {
        done = true;
        break;
      }
      const rc = reduced(ein);
      const delta = pivot(ein);
      if (delta < 0) {
        done = true;
        break;
      }
      if (delta > 0) objective += delta * rc;
      iterations++;
      if (iterations % YIELD_PIVOTS === 0 || scanned >= YIELD_ARCS) {
        scanned = 0;
        break;
      }
    }
    progress.iterations = iterations;
    progress.objective = objective;
    return done;
  };
  const result = (): NetworkSimplexResult => {
    let artificialResidual = 0;
    for (let e = nReal; e < nArcs; e++) artificialResidual = Math.max(artificialResidual, Math.abs(flow[e]!));
    return { flow: flow.subarray(0, nReal), pi: pi.subarray(0, N), iterations, converged, artificialResidual };
  };
  return { advance, result };
}

/**
 * The non-tree arc off + j of row i with the most negative reduced cost c = cost + π_i − π_sink(j)
 * below `min`, or −1. A top-level function with its arrays as arguments, so the hot loop keeps them in
 * registers (a closure reloads captured variables from its context).
 */
function rowArgMin(
  arcCost: Float64Array,
  piSink: Float64Array,
  nonTree: Uint8Array,
  off: number,
  n2: number,
  pii: number,
  min: number,
): number {
  let best = -1;
  for (let j = 0; j < n2; j++) {
    const c = arcCost[off + j]! + pii - piSink[j]!;
    if (c < min && nonTree[off + j]) {
      min = c;
      best = off + j;
    }
  }
  return best;
}
