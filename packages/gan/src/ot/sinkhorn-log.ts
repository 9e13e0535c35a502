/**
 * Log-domain Sinkhorn (Peyré & Cuturi 2019, Remark 4.23) as log-stabilised scaling with absorption.
 * @internal
 */
import { createKernelStore, type KernelStore } from './kernel-store.js';
import { columnError2, type LoopControls, type SinkhornRun } from './sinkhorn-kernels.js';

const TINY = 1e-280;
/** Scalings are folded into the log potentials once they leave [1/TAU, TAU] (POT's `tau`). */
const TAU = 1e3;

/**
 * Log-domain Sinkhorn on dimensionless potentials f̃ = f/ε, g̃ = g/ε:
 * g̃_j ← log b_j − LSE_i(f̃_i − M_ij/ε), f̃_i ← log a_i − LSE_j(g̃_j − M_ij/ε).
 *
 * Implemented as log-stabilised scaling with absorption (Schmitzer 2019, Alg. 2; POT's
 * `sinkhorn_stabilized`), which produces the same iterates: Π = diag(u)·K̃·diag(v) with
 * K̃_ij = e^{f̃_i + g̃_j − M_ij/ε} and scaling updates of u, v. As soon as u or v leaves [1/τ, τ],
 * log u and log v are absorbed into f̃, g̃ and K̃ is recomputed (it is then the current plan, entries
 * ≤ the mass); when a product under/overflows (e.g. e^{−M/ε} at the start for a tiny ε), the
 * iteration is redone as an exact log-sum-exp update (shifted by the current potential, with a max
 * shift where that still underflows).
 * So exponentials are evaluated only at absorptions, and nothing overflows or divides by zero for any ε
 * with max |M_ij|/ε ≤ 1e300 (`sinkhorn` rejects smaller ε: f̃ + g̃ − M/ε could overflow to ±∞ there).
 */
export function* sinkhornLog(
  a: Float64Array,
  b: Float64Array,
  cost: readonly Float64Array[],
  reg: number,
  ctl: LoopControls,
): Generator<SinkhornRun, SinkhornRun, void> {
  const n = a.length;
  const m = b.length;
  const s = -1 / reg; // x_ij = s·M_ij = −M_ij/ε, formed where needed
  const loga = Float64Array.from(a, Math.log);
  const logb = Float64Array.from(b, Math.log);
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  const u = new Float64Array(n).fill(1);
  const v = new Float64Array(m).fill(1);
  const store = createKernelStore(n, m, 3);
  const { K, ld } = store;
  let ktu = store.vector();
  let next = store.vector();
  const uNew = new Float64Array(n);
  const vNew = store.vector();
  const tol2 = ctl.tol * ctl.tol;
  // the yielded state: u, v, f̃, g̃ and K̃ are updated in place, so Π = diag(u)·K̃·diag(v) at every yield
  const state: SinkhornRun = {
    K,
    ld,
    u,
    v,
    logOffsets: { f, g },
    iterations: 0,
    converged: false,
    marginalError: Number.POSITIVE_INFINITY,
  };

  // start as the scaling iteration (f̃ = g̃ = 0, u = 1/n); an under/overflowing e^{−M/ε} is caught by
  // the first step and handled by an exact log-domain update
  store.buildShifted(cost, s, f, g);
  u.fill(1 / n);
  let it = 0;
  store.mulTransposed(u, ktu);

  for (;;) {
    if (it > 0) {
      const e2 = columnError2(v, ktu, b, ctl.mass);
      state.marginalError = Math.sqrt(e2) * ctl.mass;
      if (e2 < tol2) {
        state.converged = true;
        break;
      }
    }
    if (it >= ctl.maxIterations) break;
    if (scalingStep(store, a, b, ktu, vNew, uNew, next)) {
      u.set(uNew);
      v.set(vNew.subarray(0, m));
      const t = ktu;
      ktu = next; // K̃ᵀu for the new u, accumulated during the step
      next = t;
      if (outside(u) || outside(v)) {
        absorb(f, u);
        absorb(g, v);
        store.buildShifted(cost, s, f, g);
        store.mulTransposed(u, ktu);
      }
    } else {
      // a product underflowed: do this iteration exactly in the log domain instead
      absorb(f, u);
      absorb(g, v);
      shiftedColumnUpdate(cost, s, f, g, logb);
      updateRows(cost, s, f, g, loga);
      store.buildShifted(cost, s, f, g);
      store.mulTransposed(u, ktu);
    }
    it++;
    state.iterations = it;
    yield state;
  }
  return state;
}

/**
 * One scaling update v = b ⊘ K̃ᵀu (K̃ᵀu given), u = a ⊘ K̃v into vNew, uNew, accumulating K̃ᵀuNew into
 * `next` in the same pass over K̃; false if a product underflows.
 */
function scalingStep(
  store: KernelStore,
  a: Float64Array,
  b: Float64Array,
  ktu: Float64Array,
  vNew: Float64Array,
  uNew: Float64Array,
  next: Float64Array,
): boolean {
  for (let j = 0; j < b.length; j++) {
    const t = ktu[j]!;
    if (!(t > TINY)) return false;
    vNew[j] = b[j]! / t;
  }
  return store.rowUpdate(vNew, a, uNew, next, TINY);
}

/** True when some scaling left [1/τ, τ]. */
function outside(s: Float64Array): boolean {
  for (let k = 0; k < s.length; k++) if (s[k]! > TAU || s[k]! < 1 / TAU) return true;
  return false;
}

/** p ← p + log s (s > 0), s ← 1; entries of s that are 0 or non-finite (never produced) are left alone. */
function absorb(p: Float64Array, s: Float64Array): void {
  for (let k = 0; k < p.length; k++) {
    const sk = s[k]!;
    if (sk > 0 && sk < Number.POSITIVE_INFINITY) p[k] = p[k]! + Math.log(sk);
    s[k] = 1;
  }
}

/** g̃_j ← g̃_j + log b_j − log Σ_i e^{f̃_i + g̃_j + x_ij} (entries ≤ a_i after a row update); max shift if it underflows. */
function shiftedColumnUpdate(rows: readonly Float64Array[], s: number, f: Float64Array, g: Float64Array, logb: Float64Array): void {
  const m = g.length;
  const col = new Float64Array(m);
  for (let i = 0; i < f.length; i++) {
    const mi = rows[i]!;
    const fi = f[i]!;
    for (let j = 0; j < m; j++) col[j] = col[j]! + Math.exp(fi + g[j]! + mi[j]! * s);
  }
  for (let j = 0; j < m; j++) {
    const c = col[j]!;
    g[j] = c > TINY && c < Number.POSITIVE_INFINITY ? g[j]! + logb[j]! - Math.log(c) : logb[j]! - columnLse(rows, s, f, j);
  }
}

/** f̃_i ← log a_i − LSE_j(g̃_j + x_ij), shifted by the current f̃_i (entries ≤ b_j after a column update). */
function updateRows(rows: readonly Float64Array[], s: number, f: Float64Array, g: Float64Array, loga: Float64Array): void {
  const m = g.length;
  for (let i = 0; i < f.length; i++) {
    const mi = rows[i]!;
    const fi = f[i]!;
    let c = 0;
    for (let j = 0; j < m; j++) c += Math.exp(fi + g[j]! + mi[j]! * s);
    if (c > TINY && c < Number.POSITIVE_INFINITY) {
      f[i] = fi + loga[i]! - Math.log(c);
    } else {
      let mx = Number.NEGATIVE_INFINITY;
      for (let j = 0; j < m; j++) mx = Math.max(mx, g[j]! + mi[j]! * s);
      let t = 0;
      for (let j = 0; j < m; j++) t += Math.exp(g[j]! + mi[j]! * s - mx);
      f[i] = loga[i]! - mx - Math.log(t);
    }
  }
}

/** LSE_i(f̃_i + x_ij) with a max shift (strided; only for columns whose shifted sum underflowed). */
function columnLse(rows: readonly Float64Array[], s: number, f: Float64Array, j: number): number {
  let mx = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < f.length; i++) mx = Math.max(mx, f[i]! + rows[i]![j]! * s);
  let t = 0;
  for (let i = 0; i < f.length; i++) t += Math.exp(f[i]! + rows[i]![j]! * s - mx);
  return mx + Math.log(t);
}
