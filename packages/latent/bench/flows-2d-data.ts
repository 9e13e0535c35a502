/**
 * 2-D toy densities for the RealNVP bench and demo: standardised two moons (noise 0.06), eight Gaussians
 * on a circle and a checkerboard (the FFJORD toy sets), with their true log-densities where known.
 */
import { createRng } from '@notes/core-linalg';

/** Two interleaving half circles (scikit-learn's make_moons layout) with Gaussian noise of s.d. `noise`. */
export function twoMoons(n: number, seed: number, noise = 0.06): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const t = Math.PI * rng.uniform();
    const upper = rng.uniform() < 0.5;
    const x = upper ? Math.cos(t) : 1 - Math.cos(t);
    const y = upper ? Math.sin(t) : 0.5 - Math.sin(t);
    return [x + noise * rng.normal(), y + noise * rng.normal()];
  });
}

/**
 * True log-density of {@link twoMoons} at (x, y) in the generator's coordinates: the noise-convolved
 * uniform densities on the two arcs, by the midpoint rule over the arc parameter t with `nodes` nodes per
 * arc (the arc step π/nodes is far below the noise s.d.).
 */
export function twoMoonsLogPdf(x: number, y: number, noise = 0.06, nodes = 2000): number {
  const terms: number[] = [];
  let m = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < nodes; i++) {
    const t = (Math.PI * (i + 0.5)) / nodes;
    const c = Math.cos(t);
    const s = Math.sin(t);
    const a = -((x - c) ** 2 + (y - s) ** 2) / (2 * noise * noise);
    const b = -((x - 1 + c) ** 2 + (y - 0.5 + s) ** 2) / (2 * noise * noise);
    terms.push(a, b);
    m = Math.max(m, a, b);
  }
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - m);
  return m + Math.log(sum / terms.length) - Math.log(2 * Math.PI * noise * noise);
}

/**
 * Population entropy of {@link twoMoons} in the generator's coordinates, −∫ p log p by the midpoint rule
 * with step `h` on [−1.5, 2.5] × [−1, 1.5] (the arcs plus more than 7 noise s.d. on every side; the
 * integrand is smooth on the scale of the noise, so the rule converges fast in h).
 */
export function twoMoonsEntropy(h = 0.02, noise = 0.06): number {
  let H = 0;
  for (let x = -1.5 + h / 2; x < 2.5; x += h) {
    for (let y = -1 + h / 2; y < 1.5; y += h) {
      const lp = twoMoonsLogPdf(x, y, noise);
      H -= Math.exp(lp) * lp;
    }
  }
  return H * h * h;
}

const R = 4 / Math.SQRT2;
const SD = 0.5 / Math.SQRT2;
const CENTRES = Array.from({ length: 8 }, (_, k) => [R * Math.cos((k * Math.PI) / 4), R * Math.sin((k * Math.PI) / 4)]);

/** Eight Gaussians (s.d. 0.5/√2) with centres on a circle of radius 4/√2 (FFJORD's "8gaussians"). */
export function eightGaussians(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const c = CENTRES[Math.floor(rng.uniform() * 8)] as number[];
    return [(c[0] as number) + SD * rng.normal(), (c[1] as number) + SD * rng.normal()];
  });
}

/** True log-density of {@link eightGaussians}. */
export function eightGaussiansLogPdf(x: number, y: number): number {
  let m = Number.NEGATIVE_INFINITY;
  const terms = CENTRES.map((c) => -(((x - (c[0] as number)) ** 2 + (y - (c[1] as number)) ** 2) / (2 * SD * SD)));
  for (const t of terms) m = Math.max(m, t);
  const s = terms.reduce((acc, t) => acc + Math.exp(t - m), 0);
  return m + Math.log(s / 8) - Math.log(2 * Math.PI * SD * SD);
}

/** Entropy of {@link eightGaussians} by the midpoint rule on [-6, 6]² with h = 0.01. */
export function eightGaussiansEntropy(): number {
  const h = 0.01;
  let H = 0;
  for (let x = -6 + h / 2; x < 6; x += h) {
    for (let y = -6 + h / 2; y < 6; y += h) {
      const lp = eightGaussiansLogPdf(x, y);
      H -= Math.exp(lp) * lp;
    }
  }
  return H * h * h;
}

/** FFJORD's checkerboard: uniform on 8 of the 16 squares of side 2 in [-4, 4]² (entropy log 32). */
export function checkerboard(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const x1 = rng.uniform() * 4 - 2;
    const x2 = rng.uniform() - (rng.uniform() < 0.5 ? 0 : 2) + (((Math.floor(x1) % 2) + 2) % 2);
    return [2 * x1, 2 * x2];
  });
}

/** Entropy of {@link checkerboard}: log(area) = log 32. */
export const CHECKERBOARD_ENTROPY = Math.log(32);

/** Standardises columns with the mean and s.d. of `train`; returns the log-Jacobian Σ log s.d. too. */
export function standardise(
  train: number[][],
  ...others: number[][][]
): { sets: number[][][]; logSd: number; mean: number[]; sd: number[] } {
  const d = (train[0] as number[]).length;
  const mean = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const r of train) for (let j = 0; j < d; j++) mean[j] = (mean[j] as number) + (r[j] as number) / train.length;
  for (const r of train) for (let j = 0; j < d; j++) sd[j] = (sd[j] as number) + ((r[j] as number) - (mean[j] as number)) ** 2 / train.length;
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(sd[j] as number);
  const f = (X: number[][]) => X.map((r) => r.map((v, j) => (v - (mean[j] as number)) / (sd[j] as number)));
  return { sets: [f(train), ...others.map(f)], logSd: sd.reduce((s, v) => s + Math.log(v), 0), mean, sd };
}
