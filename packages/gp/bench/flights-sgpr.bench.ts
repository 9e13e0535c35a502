/**
 * SGPR on the US flights table shipped by vega-datasets (`flights-200k.json`: delay in minutes from time of day
 * and distance; a fixed seeded 90/10 split, inputs and targets standardised on the training rows), against a
 * linear model, our exact GP and scikit-learn's exact GP on random training subsets, all scored on the same
 * 20,000 test rows: RMSE (minutes) and mean log predictive density (nats per point, of the delay in minutes).
 * Env: FLIGHTS_M (inducing points, 100), FLIGHTS_ITERS (L-BFGS iterations, 100), FLIGHTS_EXACT_N (our exact
 * subset, 1000), FLIGHTS_SK_N (scikit-learn's subset, 3000). Writes bench/results/flights-sgpr.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, runPython } from '@notes/bench-kit';
import { fitGP, fitSGPR, rbf, scale, sum, white } from '../src/index.js';
import { X, Xt, delayMean as my, delaySd as sy, linearBaseline, score, subset, y } from './flights-data.js';

const results: Record<string, unknown> = { n_train: X.length, n_test: Xt.length, delay_mean: my, delay_sd: sy };

// linear model y = b0 + b1·time + b2·distance (least squares, Gaussian residuals)
results.linear = linearBaseline();
console.log('linear', results.linear);

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
