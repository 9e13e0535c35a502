/**
 * Seeded synthetic data for DPMM tests, demos and benches: well-separated 2-D Gaussian clusters.
 * @internal
 */
import { createRng, sampleNormal } from '@notes/core-linalg';

/** `n` points from `centers.length` isotropic clusters with standard deviation `sd`; returns rows and labels. */
export function gaussianClusters(
  n: number,
  centers: readonly (readonly number[])[],
  sd: number,
  seed: number,
): { X: number[][]; labels: number[] } {
  const rng = createRng(seed);
  const X: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const k = i % centers.length;
    const c = centers[k] as readonly number[];
    X.push(c.map((m) => sampleNormal(rng, m, sd)));
    labels.push(k);
  }
  return { X, labels };
}

/** Four well-separated centres in the plane. */
export const FOUR_CENTERS = [
  [-4, -4],
  [-4, 4],
  [4, -4],
  [4, 4],
] as const;
