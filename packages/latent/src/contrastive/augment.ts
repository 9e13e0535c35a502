/**
 * The two-view augmentation of ProtoNCE/InfoNCE training. Internal to `contrastive/`.
 */
import type { Rng } from '@notes/core-linalg';

/** Augmentation settings (see {@link ProtoNCEOptions}). */
export interface AugmentConfig {
  /** `[height, width]` when rows are images (enables shifts), else null. */
  readonly imageShape: readonly [number, number] | null;
  /** Largest shift in pixels along each axis. */
  readonly maxShift: number;
  /** Probability that a feature is set to 0. */
  readonly maskProb: number;
  /** Standard deviation of the additive Gaussian noise. */
  readonly noise: number;
}

/**
 * One random view of each of the `m` rows of `x` (m × d, row-major), written into a new array, in this
 * order: (1) for images, a translation by (dy, dx) uniform in {−s…s}² with zero fill; (2) every feature
 * independently set to 0 with probability `maskProb`; (3) Gaussian noise of s.d. `noise` added to every
 * feature. Draws from `rng` in a fixed order, so a seed fixes the views.
 */
export function augmentRows(x: Float64Array, m: number, d: number, a: AugmentConfig, rng: Rng): Float64Array {
  const out = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    const src = i * d;
    if (a.imageShape !== null && a.maxShift > 0) {
      const [h, w] = a.imageShape;
      const s = a.maxShift;
      const dy = Math.min(s, Math.floor(rng.uniform() * (2 * s + 1)) - s);
      const dx = Math.min(s, Math.floor(rng.uniform() * (2 * s + 1)) - s);
      for (let r = 0; r < h; r++) {
        const rr = r - dy;
        if (rr < 0 || rr >= h) continue;
        for (let c = 0; c < w; c++) {
          const cc = c - dx;
          if (cc < 0 || cc >= w) continue;
          out[src + r * w + c] = x[src + rr * w + cc] as number;
        }
      }
    } else {
      out.set(x.subarray(src, src + d), src);
    }
    if (a.maskProb > 0) for (let t = 0; t < d; t++) if (rng.uniform() < a.maskProb) out[src + t] = 0;
    if (a.noise > 0) for (let t = 0; t < d; t++) out[src + t] = (out[src + t] as number) + a.noise * rng.normal();
  }
  return out;
}
