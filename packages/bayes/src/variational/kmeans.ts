/**
 * k-means++ seeding and Lloyd iterations, the default initial partition of `fitVariationalGMM`
 * (as scikit-learn's `init_params='kmeans'`).
 * @internal
 */
import type { Rng } from '@notes/core-linalg';

/** Labels of a k-means clustering of row-major data (n×d) into k clusters. */
export function kmeansLabels(data: Float64Array, n: number, d: number, k: number, rng: Rng, maxIterations = 100): Int32Array {
  const centers = new Float64Array(k * d);
  const dist = new Float64Array(n).fill(Number.POSITIVE_INFINITY);
  // k-means++ (Arthur & Vassilvitskii 2007)
  let pick = Math.floor(rng.uniform() * n);
  for (let c = 0; c < k; c++) {
    centers.set(data.subarray(pick * d, pick * d + d), c * d);
    let tot = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += ((data[i * d + a] as number) - (centers[c * d + a] as number)) ** 2;
      if (s < (dist[i] as number)) dist[i] = s;
      tot += dist[i] as number;
    }
    let u = rng.uniform() * tot;
    pick = n - 1;
    for (let i = 0; i < n; i++) {
      u -= dist[i] as number;
      if (u < 0) {
        pick = i;
        break;
      }
    }
  }
  const z = new Int32Array(n).fill(-1);
  const counts = new Float64Array(k);
  for (let it = 0; it < maxIterations; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Number.POSITIVE_INFINITY;
      for (let c = 0; c < k; c++) {
        let s = 0;
        for (let a = 0; a < d; a++) s += ((data[i * d + a] as number) - (centers[c * d + a] as number)) ** 2;
        if (s < bestD) {
          bestD = s;
          best = c;
        }
      }
      if (z[i] !== best) {
        z[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
    counts.fill(0);
    const sums = new Float64Array(k * d);
    for (let i = 0; i < n; i++) {
      const c = z[i] as number;
      counts[c] = (counts[c] as number) + 1;
      for (let a = 0; a < d; a++) sums[c * d + a] = (sums[c * d + a] as number) + (data[i * d + a] as number);
    }
    for (let c = 0; c < k; c++) {
      if ((counts[c] as number) > 0) for (let a = 0; a < d; a++) centers[c * d + a] = (sums[c * d + a] as number) / (counts[c] as number);
    }
  }
  return z;
}
