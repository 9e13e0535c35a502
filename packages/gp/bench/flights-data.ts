/**
 * The US flights table shipped by vega-datasets (`flights-200k.json`: delay in minutes from time of day and
 * distance), split 90/10 with a fixed seed, inputs and targets standardised on the training rows; shared by
 * `flights-sgpr.bench.ts` and `flights-svgp.bench.ts` (the same split and test rows in both).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createRng } from '@notes/core-linalg';

const require = createRequire(import.meta.url);
// the package exports only its JS entry (build/index.js); the data files sit in data/ beside build/
const file = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'flights-200k.json');
const rows = JSON.parse(readFileSync(file, 'utf8')) as { delay: number; distance: number; time: number }[];
const rng = createRng(0);
const idx = rows.map((_, i) => i);
for (let i = idx.length - 1; i > 0; i--) {
  const j = Math.floor(rng.uniform() * (i + 1));
  [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
}
const nTest = Math.floor(rows.length / 10);
const test = idx.slice(0, nTest).map((i) => rows[i] as (typeof rows)[number]);
const train = idx.slice(nTest).map((i) => rows[i] as (typeof rows)[number]);
const stat = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return [m, Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length)] as const;
};
const [mt, st] = stat(train.map((r) => r.time));
const [md, sd] = stat(train.map((r) => r.distance));
const [my, sy] = stat(train.map((r) => r.delay));
const feat = (r: (typeof rows)[number]) => [(r.time - mt) / st, (r.distance - md) / sd];
/** Standardised training inputs (time, distance) and targets. */
export const X = train.map(feat);
export const y = train.map((r) => (r.delay - my) / sy);
/** Standardised test inputs and the raw test delays (minutes). */
export const Xt = test.map(feat);
export const yt = test.map((r) => r.delay);
/** Mean and standard deviation of the training delays (minutes). */
export const delayMean = my;
export const delaySd = sy;

/** RMSE (minutes) and mean log predictive density (nats per point, delay in minutes) from standardised predictions. */
export function score(mean: ArrayLike<number>, variance: ArrayLike<number>, noise: number): { rmse: number; mlpd: number } {
  let se = 0;
  let lpd = 0;
  for (let i = 0; i < yt.length; i++) {
    const m = (mean[i] as number) * sy + my;
    const v = ((variance[i] as number) + noise) * sy * sy;
    const e = (yt[i] as number) - m;
    se += e * e;
    lpd += -0.5 * Math.log(2 * Math.PI * v) - (e * e) / (2 * v);
  }
  return { rmse: Math.sqrt(se / yt.length), mlpd: lpd / yt.length };
}

/** A seeded random subset of the training rows (with replacement, as the first flights bench drew it). */
export function subset(n: number, seed: number): { Xs: number[][]; ys: number[] } {
  const r = createRng(seed);
  const pick = Array.from({ length: n }, () => Math.floor(r.uniform() * X.length));
  return { Xs: pick.map((i) => X[i] as number[]), ys: pick.map((i) => y[i] as number) };
}

/** Least-squares linear model y = b0 + b1·time + b2·distance with Gaussian residuals, scored on the test rows. */
export function linearBaseline(): { rmse: number; mlpd: number } {
  const A = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  const b = [0, 0, 0];
  for (let i = 0; i < X.length; i++) {
    const f = [1, ...(X[i] as number[])];
    for (let p = 0; p < 3; p++) {
      b[p] = (b[p] as number) + (f[p] as number) * (y[i] as number);
      for (let q = 0; q < 3; q++) (A[p] as number[])[q] = ((A[p] as number[])[q] as number) + (f[p] as number) * (f[q] as number);
    }
  }
  // 3×3 solve (Cramer)
  const det = (M: number[][]) =>
    (M[0]![0]! * (M[1]![1]! * M[2]![2]! - M[1]![2]! * M[2]![1]!) - M[0]![1]! * (M[1]![0]! * M[2]![2]! - M[1]![2]! * M[2]![0]!) + M[0]![2]! * (M[1]![0]! * M[2]![1]! - M[1]![1]! * M[2]![0]!));
  const D = det(A);
  const w = [0, 1, 2].map((c) => det(A.map((row, r) => row.map((v, k) => (k === c ? (b[r] as number) : v)))) / D);
  let rss = 0;
  for (let i = 0; i < X.length; i++) rss += ((y[i] as number) - (w[0] as number) - (w[1] as number) * (X[i]![0] as number) - (w[2] as number) * (X[i]![1] as number)) ** 2;
  const mean = Xt.map((f) => (w[0] as number) + (w[1] as number) * (f[0] as number) + (w[2] as number) * (f[1] as number));
  return score(mean, new Float64Array(mean.length), rss / X.length);
}
