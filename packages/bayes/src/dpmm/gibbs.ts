/**
 * One Gibbs sweep of the DPMM (notes: DPMM with Gibbs sampling), in two variants:
 * - collapsed (Neal 2000, Alg. 3): θ integrated out,
 *   $P(S_i=c\mid S_{-i},Y)\propto n_c^{(-i)}\,p(y_i\mid Y_{c}^{(-i)})$, new cluster $\propto\alpha\int\mathcal K(y_i\mid\theta)dP_0(\theta)$;
 * - the notes' two-step sampler (Neal 2000, Alg. 2): (1) assignments given θ*,
 *   $P(S_i=c\mid\cdot)\propto n_c^{(-i)}\mathcal K(y_i\mid\theta_c^*)$, new $\propto\alpha\int\mathcal K(y_i\mid\theta)dP_0$
 *   (a new cluster draws θ from $p(\theta\mid y_i)$); (2) $\theta_c^*\sim p(\theta\mid\{y_i: S_i=c\})$.
 * @internal
 */
import { gammaln, type Rng } from '@notes/core-linalg';
import { Cluster, type Family } from './families.js';

/** Sampler state: the active clusters and each point's cluster. */
export interface GibbsState {
  readonly family: Family;
  readonly data: Float64Array;
  readonly n: number;
  readonly alpha: number;
  active: Cluster[];
  readonly z: Cluster[];
  /** Prior-predictive cluster (n = 0), refreshed once. */
  readonly empty: Cluster;
  readonly work: Float64Array;
  logp: Float64Array;
  /** Scratch copy of a cluster's predictive cache. */
  readonly saved: Cluster;
}

/** Initial state with `k0` clusters assigned round-robin over a random order (k0 = 1: one cluster). */
export function initState(family: Family, data: Float64Array, n: number, alpha: number, k0: number, rng: Rng): GibbsState {
  const d = family.d;
  const active = Array.from({ length: Math.min(k0, n) }, () => new Cluster(d));
  const z: Cluster[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const cl = active[k0 === 1 ? 0 : Math.floor(rng.uniform() * active.length)] as Cluster;
    z[i] = cl;
    cl.add(data, i * d, d, 1);
  }
  const empty = new Cluster(d);
  family.refresh(empty);
  const st: GibbsState = { family, data, n, alpha, active: active.filter((c) => c.n > 0), z, empty, work: new Float64Array(2 * d), logp: new Float64Array(16), saved: new Cluster(d) };
  for (const c of st.active) family.refresh(c);
  return st;
}

function choose(st: GibbsState, K: number, rng: Rng): number {
  const lp = st.logp;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k <= K; k++) if ((lp[k] as number) > max) max = lp[k] as number;
  let tot = 0;
  for (let k = 0; k <= K; k++) {
    const p = Math.exp((lp[k] as number) - max);
    lp[k] = p;
    tot += p;
  }
  let u = rng.uniform() * tot;
  for (let k = 0; k < K; k++) {
    u -= lp[k] as number;
    if (u < 0) return k;
  }
  return K;
}

function ensure(st: GibbsState, K: number): void {
  if (st.logp.length < K + 1) st.logp = new Float64Array(2 * (K + 1));
}

function drop(st: GibbsState, cl: Cluster): void {
  const j = st.active.indexOf(cl);
  const last = st.active.pop() as Cluster;
  if (last !== cl) st.active[j] = last;
}

/** One collapsed Gibbs sweep over all points. */
export function collapsedSweep(st: GibbsState, rng: Rng): void {
  const { family, data, alpha, work } = st;
  const d = family.d;
  const logAlpha = Math.log(alpha);
  for (let i = 0; i < st.n; i++) {
    const off = i * d;
    const old = st.z[i] as Cluster;
    saveCache(old, st.saved);
    old.add(data, off, d, -1);
    if (old.n === 0) drop(st, old);
    else family.refresh(old);
    const K = st.active.length;
    ensure(st, K);
    for (let k = 0; k < K; k++) {
      const cl = st.active[k] as Cluster;
      st.logp[k] = Math.log(cl.n) + family.logPred(cl, data, off, work);
    }
    st.logp[K] = logAlpha + family.logPred(st.empty, data, off, work);
    const c = choose(st, K, rng);
    let cl: Cluster;
    if (c === K) {
      cl = old.n === 0 ? old : new Cluster(d);
      st.active.push(cl);
    } else cl = st.active[c] as Cluster;
    cl.add(data, off, d, 1);
    // back where it was: the cache from before the removal is the predictive of the same statistics
    if (cl === old && old.n > 1) restoreCache(cl, st.saved);
    else family.refresh(cl);
    st.z[i] = cl;
  }
}

function saveCache(cl: Cluster, s: Cluster): void {
  s.loc.set(cl.loc);
  s.chol.set(cl.chol);
  s.c = cl.c;
  s.df = cl.df;
}

function restoreCache(cl: Cluster, s: Cluster): void {
  cl.loc.set(s.loc);
  cl.chol.set(s.chol);
  cl.c = s.c;
  cl.df = s.df;
}

/** One sweep of the notes' two-step sampler: assignments given θ*, then θ* given assignments. */
export function twoStepSweep(st: GibbsState, rng: Rng): void {
  const { family, data, alpha, work } = st;
  const d = family.d;
  const logAlpha = Math.log(alpha);
  for (let i = 0; i < st.n; i++) {
    const off = i * d;
    const old = st.z[i] as Cluster;
    old.add(data, off, d, -1);
    if (old.n === 0) drop(st, old);
    const K = st.active.length;
    ensure(st, K);
    for (let k = 0; k < K; k++) {
      const cl = st.active[k] as Cluster;
      st.logp[k] = Math.log(cl.n) + family.logKernel(cl, data, off, work);
    }
    st.logp[K] = logAlpha + family.logPred(st.empty, data, off, work);
    const c = choose(st, K, rng);
    let cl: Cluster;
    if (c === K) {
      cl = old.n === 0 ? old : new Cluster(d);
      st.active.push(cl);
      cl.add(data, off, d, 1);
      family.samplePosterior(cl, rng); // θ_new ~ p(θ | y_i)
    } else {
      cl = st.active[c] as Cluster;
      cl.add(data, off, d, 1);
    }
    st.z[i] = cl;
  }
  for (const cl of st.active) family.samplePosterior(cl, rng);
}

/** Draw θ* for every cluster (used once before the first two-step sweep). */
export function sampleAllTheta(st: GibbsState, rng: Rng): void {
  for (const cl of st.active) st.family.samplePosterior(cl, rng);
}

/**
 * Collapsed log joint $\log p(Y, S) = \log p(S) + \sum_c \log p(Y_c)$ with the CRP partition probability
 * $\log p(S) = K\log\alpha + \sum_c\log\Gamma(n_c) + \log\Gamma(\alpha) - \log\Gamma(\alpha+n)$.
 */
export function logJoint(st: GibbsState): number {
  let s = gammaln(st.alpha) - gammaln(st.alpha + st.n) + st.active.length * Math.log(st.alpha);
  for (const cl of st.active) s += gammaln(cl.n) + st.family.logEvidence(cl);
  return s;
}

/** Assignments relabelled 0..K−1 in order of first appearance, and the clusters in that order. */
export function labels(st: GibbsState): { z: Int32Array; clusters: Cluster[] } {
  const map = new Map<Cluster, number>();
  const z = new Int32Array(st.n);
  const clusters: Cluster[] = [];
  for (let i = 0; i < st.n; i++) {
    const cl = st.z[i] as Cluster;
    let l = map.get(cl);
    if (l === undefined) {
      l = clusters.length;
      map.set(cl, l);
      clusters.push(cl);
    }
    z[i] = l;
  }
  return { z, clusters };
}
