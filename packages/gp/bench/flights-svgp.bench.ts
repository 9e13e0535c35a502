/**
 * SVGP on all 180,000 training rows of the US flights table (vega-datasets `flights-200k.json`, the split of
 * `flights-data.ts`, the same 20,000 test rows as `flights-sgpr.bench.ts`), against a linear model, our exact
 * GP on a random 3,000-row subset and scikit-learn's exact GP on a random 3,000-row subset (its figures are
 * read from `results/flights-sgpr.json`, measured by the SGPR bench, unless `FLIGHTS_SK=1` reruns it):
 * test RMSE (minutes) and mean log predictive density (nats per point, delay in minutes). Fit times are wall
 * and CPU (user + system of this process) seconds.
 * Env: FLIGHTS_SVGP_M (inducing points, 200), FLIGHTS_SVGP_EPOCHS (5), FLIGHTS_SVGP_BATCH (512),
 * FLIGHTS_SVGP_LR (Adam step, 0.02), FLIGHTS_SVGP_GAMMA (natural-gradient step, 0.1), FLIGHTS_SVGP_Z (1 =
 * also learn the inducing inputs), FLIGHTS_EXACT_N (our exact subset, 3000; 0 skips it).
 * Writes bench/results/flights-svgp.json (or FLIGHTS_SVGP_OUT).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPython, runPython } from '@notes/bench-kit';
import { fitGP, fitSVGP, rbf, scale, sum, white } from '../src/index.js';
import { X, Xt, delayMean, delaySd, linearBaseline, score, subset, y } from './flights-data.js';

/** Wall and CPU seconds of `fn`. */
function timed<T>(fn: () => T): { value: T; seconds: number; cpuSeconds: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const c = process.cpuUsage(c0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
}

const results: Record<string, unknown> = { n_train: X.length, n_test: Xt.length, delay_mean: delayMean, delay_sd: delaySd };
results.linear = linearBaseline();
console.log('linear', results.linear);

// SVGP on all training rows
{
  const M = Number(process.env.FLIGHTS_SVGP_M ?? 200);
  const epochs = Number(process.env.FLIGHTS_SVGP_EPOCHS ?? 5);
  const batchSize = Number(process.env.FLIGHTS_SVGP_BATCH ?? 512);
  const learningRate = Number(process.env.FLIGHTS_SVGP_LR ?? 0.02);
  const gamma = Number(process.env.FLIGHTS_SVGP_GAMMA ?? 0.1);
  const optimizeInducing = process.env.FLIGHTS_SVGP_Z === '1';
  const c0 = process.cpuUsage();
  const fit = timed(() =>
    fitSVGP(X, y, {
      kernel: scale(rbf({ lengthScale: [1, 1] }), 1),
      inducing: M,
      noise: 0.5, // half the variance of the standardised delays
      batchSize,
      epochs,
      learningRate,
      gamma,
      optimizeInducing,
      seed: 0,
      onProgress: (p) => {
        if (p.iteration % 100 === 0) {
          const c = process.cpuUsage(c0);
          console.log(`SVGP step ${p.iteration} (epoch ${p.epoch}): −ELBO/n ${p.objective.toFixed(4)} (${((c.user + c.system) / 1e6).toFixed(0)} s CPU)`);
        }
      },
    }),
  );
  const model = fit.value;
  const pred = timed(() => model.predict(Xt));
  results.svgp = {
    M,
    epochs,
    batchSize,
    learningRate,
    gamma,
    optimizeInducing,
    steps: model.report.iterations,
    seconds: fit.seconds,
    cpuSeconds: fit.cpuSeconds,
    predictSeconds: pred.seconds,
    ...score(pred.value.mean, pred.value.variance, model.noise),
    kernel: String(model.kernel),
    noise: model.noise,
    inducing: Array.from({ length: M }, (_, i) => [model.inducing[2 * i], model.inducing[2 * i + 1]]),
  };
  console.log('svgp', { ...(results.svgp as Record<string, unknown>), inducing: `${M} points` });
}

// our exact GP on a random subset
{
  const n = Number(process.env.FLIGHTS_EXACT_N ?? 3000);
  if (n > 0) {
    const { Xs, ys } = subset(n, 2); // the rows scikit-learn's exact GP was fitted on in flights-sgpr.bench.ts
    const fit = timed(() => fitGP(Xs, ys, { kernel: sum(scale(rbf({ lengthScale: [1, 1] }), 1), white(0.5)) }));
    const model = fit.value;
    // predict in chunks of 4,000 test rows (a 20,000 × 3,000 block would take 480 MB)
    const pred = timed(() => {
      const mean = new Float64Array(Xt.length);
      const variance = new Float64Array(Xt.length);
      for (let s = 0; s < Xt.length; s += 4000) {
        const p = model.predict(Xt.slice(s, s + 4000));
        mean.set(p.mean, s);
        variance.set(p.variance, s);
      }
      return { mean, variance };
    });
    results.exactOurs = {
      n,
      seconds: fit.seconds,
      cpuSeconds: fit.cpuSeconds,
      predictSeconds: pred.seconds,
      ...score(pred.value.mean, pred.value.variance, 0),
      lml: model.logMarginalLikelihood,
      kernel: String(model.kernel),
      iterations: model.report.iterations,
      evaluations: model.report.evaluations,
    };
    console.log('exact (ours)', results.exactOurs);
  }
}

// scikit-learn's exact GP on the same random subset: from the SGPR bench's results, or rerun with FLIGHTS_SK=1
{
  const sgprFile = fileURLToPath(new URL('./results/flights-sgpr.json', import.meta.url));
  const py = process.env.FLIGHTS_SK === '1' ? findPython(['sklearn']) : null;
  if (py) {
    const n = 3000;
    const { Xs, ys } = subset(n, 2);
    const SK = `
import json, sys, time
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel, ConstantKernel as C
d = json.load(sys.stdin)
X = np.array(d["X"]); y = np.array(d["y"]); Xt = np.array(d["Xt"])
gp = GaussianProcessRegressor(kernel=C(1.0) * RBF([1.0, 1.0]) + WhiteKernel(0.5), alpha=1e-10)
t = time.perf_counter(); c = time.process_time(); gp.fit(X, y); fit = time.perf_counter() - t; cpu = time.process_time() - c
m, s = gp.predict(Xt, return_std=True)
print(json.dumps({"seconds": fit, "cpuSeconds": cpu, "mean": m.tolist(), "var": (s**2).tolist(), "kernel": str(gp.kernel_)}))
`;
    const r = runPython(py, SK, { X: Xs, y: ys, Xt }) as { seconds: number; cpuSeconds: number; mean: number[]; var: number[]; kernel: string };
    results.exactSklearn = { n, seconds: r.seconds, cpuSeconds: r.cpuSeconds, ...score(r.mean, r.var, 0), kernel: r.kernel, source: 'this run' };
  } else if (existsSync(sgprFile)) {
    const prev = JSON.parse(readFileSync(sgprFile, 'utf8')) as { exactSklearn?: Record<string, unknown>; sgpr?: Record<string, unknown> };
    if (prev.exactSklearn) results.exactSklearn = { ...prev.exactSklearn, source: 'results/flights-sgpr.json' };
    if (prev.sgpr) results.sgpr = { M: prev.sgpr.M, rmse: prev.sgpr.rmse, mlpd: prev.sgpr.mlpd, seconds: prev.sgpr.seconds, source: 'results/flights-sgpr.json' };
  }
  console.log('exact (scikit-learn)', results.exactSklearn);
}

const out = fileURLToPath(new URL(`./results/${process.env.FLIGHTS_SVGP_OUT ?? 'flights-svgp.json'}`, import.meta.url));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 1)}\n`);
