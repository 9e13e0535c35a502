/**
 * The two-view augmentation of ProtoNCE/InfoNCE training. Internal to `contrastive/`.
 */
import type { Rng } from '@notes/core-linalg';

/** Augmentation settings (see {@link ProtoNCEOptions}). */
export interface AugmentConfig {
  /** `[height, width]` when rows are images (enables the geometric augmentations), else null. */
  readonly imageShape: readonly [number, number] | null;
  /** Largest shift in pixels along each axis. */
  readonly maxShift: number;
  /** Largest rotation in degrees (images; 0: none). */
  readonly maxRotation: number;
  /** Largest relative change of scale s: the zoom factor is uniform in [1 − s, 1 + s] (images; 0: none). */
  readonly maxScale: number;
  /** Probability that a random rectangle of the image is erased (set to 0). */
  readonly eraseProb: number;
  /** Probability that a feature is set to 0. */
  readonly maskProb: number;
  /** Standard deviation of the additive Gaussian noise. */
  readonly noise: number;
}

/**
 * Random affine warp of one h × w image (row-major in `x` from `src`) into `out` at `src`: rotation by θ and
 * zoom z about the image centre, then a translation (dy, dx); each output pixel samples the input at the
 * inverse-mapped position by bilinear interpolation, zero outside the image.
 */
export function affineWarp(x: Float64Array, out: Float64Array, src: number, h: number, w: number, theta: number, zoom: number, dy: number, dx: number): void {
  const cy = (h - 1) / 2;
  const cx = (w - 1) / 2;
  // inverse map: p_in = R(−θ)(p_out − centre − t)/zoom + centre
  const cos = Math.cos(theta) / zoom;
  const sin = Math.sin(theta) / zoom;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const u = r - cy - dy;
      const v = c - cx - dx;
      const yy = cos * u + sin * v + cy;
      const xx = -sin * u + cos * v + cx;
      const y0 = Math.floor(yy);
      const x0 = Math.floor(xx);
      const fy = yy - y0;
      const fx = xx - x0;
      let s = 0;
      for (let a = 0; a < 2; a++) {
        const yi = y0 + a;
        if (yi < 0 || yi >= h) continue;
        const wy = a === 0 ? 1 - fy : fy;
        for (let b = 0; b < 2; b++) {
          const xi = x0 + b;
          if (xi < 0 || xi >= w) continue;
          s += wy * (b === 0 ? 1 - fx : fx) * (x[src + yi * w + xi] as number);
        }
      }
      out[src + r * w + c] = s;
    }
  }
}

/**
 * One random view of each of the `m` rows of `x` (m × d, row-major), written into a new array, in this
 * order: (1) for images, a geometric transform: with `maxRotation` = `maxScale` = 0 a translation by
 * (dy, dx) uniform in {−s…s}² with zero fill (s = `maxShift`); otherwise an affine warp (bilinear, zero
 * fill) with rotation uniform in ±`maxRotation` degrees, zoom uniform in [1 − `maxScale`, 1 + `maxScale`]
 * and a translation uniform in [−s, s]²; (2) for images, with probability `eraseProb`, a rectangle with
 * sides uniform in {1…⌈h/2⌉} × {1…⌈w/2⌉} at a uniform position set to 0 (random erasing, Zhong et al. 2020);
 * (3) every feature independently set to 0 with probability `maskProb`; (4) Gaussian noise of s.d. `noise`
 * added to every feature. Draws from `rng` in a fixed order, so a seed fixes the views.
 */
export function augmentRows(x: Float64Array, m: number, d: number, a: AugmentConfig, rng: Rng): Float64Array {
  const out = new Float64Array(m * d);
  const affine = a.maxRotation > 0 || a.maxScale > 0;
  for (let i = 0; i < m; i++) {
    const src = i * d;
    if (a.imageShape !== null && affine) {
      const [h, w] = a.imageShape;
      const theta = ((2 * rng.uniform() - 1) * a.maxRotation * Math.PI) / 180;
      const zoom = 1 + (2 * rng.uniform() - 1) * a.maxScale;
      const dy = (2 * rng.uniform() - 1) * a.maxShift;
      const dx = (2 * rng.uniform() - 1) * a.maxShift;
      affineWarp(x, out, src, h, w, theta, zoom, dy, dx);
    } else if (a.imageShape !== null && a.maxShift > 0) {
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
    if (a.imageShape !== null && a.eraseProb > 0 && rng.uniform() < a.eraseProb) {
      const [h, w] = a.imageShape;
      const eh = 1 + Math.min(Math.ceil(h / 2) - 1, Math.floor(rng.uniform() * Math.ceil(h / 2)));
      const ew = 1 + Math.min(Math.ceil(w / 2) - 1, Math.floor(rng.uniform() * Math.ceil(w / 2)));
      const top = Math.min(h - eh, Math.floor(rng.uniform() * (h - eh + 1)));
      const left = Math.min(w - ew, Math.floor(rng.uniform() * (w - ew + 1)));
      for (let r = top; r < top + eh; r++) out.fill(0, src + r * w + left, src + r * w + left + ew);
    }
    if (a.maskProb > 0) for (let t = 0; t < d; t++) if (rng.uniform() < a.maskProb) out[src + t] = 0;
    if (a.noise > 0) for (let t = 0; t < d; t++) out[src + t] = (out[src + t] as number) + a.noise * rng.normal();
  }
  return out;
}
