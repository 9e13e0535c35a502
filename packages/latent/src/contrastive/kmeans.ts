/**
 * Plain k-means (k-means++ seeding, Lloyd iterations) on the embedding rows, and the ProtoNCE
 * concentration of each cluster. Internal to `contrastive/` (the prototypes are recomputed every epoch).
 */
import type { Rng } from '@notes/core-linalg';

/** Result of {@link kmeansRows}. */
export interface KMeansRows {
  /** k × d centroids, row-major. */
  readonly centroids: Float64Array;
  /** Cluster of every row. */
  readonly assign: Int32Array;
  /** Squared distance of every row to its centroid. */
  readonly dist2: Float64Array;
}

function sqDist(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let t = 0; t < d; t++) {
    const u = (x[i * d + t] as number) - (c[j * d + t] as number);
    s += u * u;
  }
  return s;
}

/**
 * k-means on the n rows of `x` (n × d, row-major): k-means++ seeding (Arthur & Vassilvitskii 2007), then
 * Lloyd steps until no assignment changes or `maxIterations`. An empty cluster is re-seeded with the row
 * farthest from its centroid.
 */
export function kmeansRows(x: Float64Array, n: number, d: number, k: number, rng: Rng, maxIterations: number): KMeansRows {
  const c = new Float64Array(k * d);
  const best = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  let first = Math.min(n - 1, Math.floor(rng.uniform() * n));
  c.set(x.subarray(first * d, (first + 1) * d), 0);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      best[i] = Math.min(best[i] as number, sqDist(x, i, c, j - 1, d));
      total += best[i] as number;
    }
    let pick = n - 1;
    if (total > 0) {
      let u = rng.uniform() * total;
      for (let i = 0; i < n; i++) {
        u -= best[i] as number;
        if (u < 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = Math.min(n - 1, Math.floor(rng.uniform() * n));
    }
    first = pick;
    c.set(x.subarray(pick * d, (pick + 1) * d), j * d);
  }
  const assign = new Int32Array(n).fill(-1);
  const dist2 = new Float64Array(n);
  const counts = new Int32Array(k);
  for (let it = 0; it < maxIterations; it++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bd = Number.POSITIVE_INFINITY;
      for (let j = 0; j < k; j++) {
        const dd = sqDist(x, i, c, j, d);
        if (dd < bd) {
          bd = dd;
          bj = j;
        }
      }
      if (assign[i] !== bj) changed++;
      assign[i] = bj;
      dist2[i] = bd;
    }
    if (changed === 0) break;
    c.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const j = assign[i] as number;
      counts[j] = (counts[j] as number) + 1;
      for (let t = 0; t < d; t++) c[j * d + t] = (c[j * d + t] as number) + (x[i * d + t] as number);
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if ((dist2[i] as number) > (dist2[far] as number)) far = i;
        c.set(x.subarray(far * d, (far + 1) * d), j * d);
        dist2[far] = 0;
      } else {
        for (let t = 0; t < d; t++) c[j * d + t] = (c[j * d + t] as number) / (counts[j] as number);
      }
    }
  }
  // final assignment against the final centroids
  for (let i = 0; i < n; i++) {
    let bj = 0;
    let bd = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) {
      const dd = sqDist(x, i, c, j, d);
      if (dd < bd) {
        bd = dd;
        bj = j;
      }
    }
    assign[i] = bj;
    dist2[i] = bd;
  }
  return { centroids: c, assign, dist2 };
}

/**
 * Concentration of each cluster (Li et al. 2021, eq. 12): with Z members at distances ‖v_z − c‖,
 * $$\phi = \frac{\sum_{z=1}^{Z}\lVert v_z - c\rVert_2}{Z\log(Z+\alpha)},$$
 * clusters with Z ≤ 1 get the largest φ of the others; then, as in the authors' code, φ is clipped to
 * its 10th–90th percentiles over the clusters and scaled so that its mean is τ.
 */
export function concentrations(assign: Int32Array, dist2: Float64Array, k: number, alpha: number, temperature: number): Float64Array {
  const sum = new Float64Array(k);
  const count = new Int32Array(k);
  for (let i = 0; i < assign.length; i++) {
    const j = assign[i] as number;
    sum[j] = (sum[j] as number) + Math.sqrt(dist2[i] as number);
    count[j] = (count[j] as number) + 1;
  }
  const phi = new Float64Array(k);
  let maxPhi = 0;
  for (let j = 0; j < k; j++) {
    const z = count[j] as number;
    if (z > 1) {
      phi[j] = (sum[j] as number) / (z * Math.log(z + alpha));
      maxPhi = Math.max(maxPhi, phi[j] as number);
    }
  }
  for (let j = 0; j < k; j++) if ((count[j] as number) <= 1) phi[j] = maxPhi;
  const sorted = Array.from(phi).sort((a, b) => a - b);
  const lo = percentile(sorted, 10);
  const hi = percentile(sorted, 90);
  let mean = 0;
  for (let j = 0; j < k; j++) {
    phi[j] = Math.min(hi, Math.max(lo, phi[j] as number));
    mean += phi[j] as number;
  }
  mean /= k;
  // all clusters collapsed to their centroids (φ = 0): fall back to φ = τ everywhere
  for (let j = 0; j < k; j++) phi[j] = mean > 0 ? (temperature * (phi[j] as number)) / mean : temperature;
  return phi;
}

/** Linear-interpolated percentile of sorted values (NumPy's default). */
function percentile(sorted: readonly number[], p: number): number {
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}
