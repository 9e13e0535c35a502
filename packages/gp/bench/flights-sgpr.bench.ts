/**
 * SGPR on the US flights table shipped by vega-datasets (`flights-200k.json`: delay in minutes from time of day
 * and distance; a fixed seeded 90/10 split, inputs and targets standardised on the training rows), against a
 * linear model, our exact GP and scikit-learn's exact GP on random training subsets, all scored on the same
 * 20,000 test rows: RMSE (minutes) and mean log predictive density (nats per point, of the delay in minutes).
 * Env: FLIGHTS_M (inducing points, 100), FLIGHTS_ITERS (L-BFGS iterations, 100), FLIGHTS_EXACT_N (our exact
 * subset, 1000), FLIGHTS_SK_N (scikit-learn's subset, 3000). Writes bench/results/flights-sgpr.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, runPython } from '@notes/bench-kit';
import { createRng } from '@notes/core-linalg';
import { fitGP, fitSGPR, rbf, scale, sum, white } from '../src/index.js';

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
const X = train.map(feat);
const y = train.map((r) => (r.delay - my) / sy);
const Xt = test.map(feat);
const yt = test.map((r) => r.delay);

/** RMSE (minutes) and mean log predictive density (nats per point, delay in minutes) from standardised predictions. */
function score(mean: ArrayLike<number>, variance: ArrayLike<number>, noise: number) {
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
const subset = (n: number, seed: number) => {
  const r = createRng(seed);
  const pick = Array.from({ length: n }, () => Math.floor(r.uniform() * X.length));
  return { Xs: pick.map((i) => X[i] as number[]), ys: pick.map((i) => y[i] as number) };
};
const results: Record<string, unknown> = { n_train: X.length, n_test: Xt.length, delay_mean: my, delay_sd: sy };

// linear model y = b0 + b1·time + b2·distance (least squares, Gaussian residuals)
{
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
  results.linear = score(mean, new Float64Array(mean.length), rss / X.length);
  console.log('linear', results.linear);
}

// SGPR on all training rows
{
  const M = Number(process.env.FLIGHTS_M ?? 100);
  const t0 = performance.now();
  const model = fitSGPR(X, y, {
    kernel: scale(rbf({ lengthScale: [1, 1] }), 1),
    inducing: M,
    seed: 0,
    maxIterations: Number(process.env.FLIGHTS_ITERS ?? 100),
    onProgress: (p) => console.log(`SGPR iteration ${p.iteration}: ELBO ${p.elbo.toFixed(1)} (${((performance.now() - t0) / 1000).toFixed(0)} s)`),
  });
  const seconds = (performance.now() - t0) / 1000;
  const p = model.predict(Xt);
  results.sgpr = { M, seconds, ...score(p.mean, p.variance, model.noise), elbo: model.elbo, kernel: String(model.kernel), noise: model.noise, report: model.report };
  console.log('sgpr', results.sgpr);
}

// our exact GP on a random subset
{
  const n = Number(process.env.FLIGHTS_EXACT_N ?? 1000);
  const { Xs, ys } = subset(n, 1);
  const t0 = performance.now();
  const model = fitGP(Xs, ys, { kernel: sum(scale(rbf({ lengthScale: [1, 1] }), 1), white(0.5)) });
  const seconds = (performance.now() - t0) / 1000;
  const p = model.predict(Xt);
  results.exactOurs = { n, seconds, ...score(p.mean, p.variance, 0), lml: model.logMarginalLikelihood, kernel: String(model.kernel) };
  console.log('exact (ours)', results.exactOurs);
}

// scikit-learn's exact GP on a random subset
{
  const py = findPython(['sklearn']);
  if (py) {
    const n = Number(process.env.FLIGHTS_SK_N ?? 3000);
    const { Xs, ys } = subset(n, 2);
    const SK = `
import json, sys, time
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel, ConstantKernel as C
d = json.load(sys.stdin)
X = np.array(d["X"]); y = np.array(d["y"]); Xt = np.array(d["Xt"])
gp = GaussianProcessRegressor(kernel=C(1.0) * RBF([1.0, 1.0]) + WhiteKernel(0.5), alpha=1e-10)
t = time.perf_counter(); gp.fit(X, y); fit = time.perf_counter() - t
m, s = gp.predict(Xt, return_std=True)
print(json.dumps({"seconds": fit, "mean": m.tolist(), "var": (s**2).tolist(), "kernel": str(gp.kernel_)}))
`;
    const r = runPython(py, SK, { X: Xs, y: ys, Xt }) as { seconds: number; mean: number[]; var: number[]; kernel: string };
    results.exactSklearn = { n, seconds: r.seconds, ...score(r.mean, r.var, 0), kernel: r.kernel };
    console.log('exact (scikit-learn)', results.exactSklearn);
  }
}

const out = fileURLToPath(new URL('./results/flights-sgpr.json', import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
