/**
 * fitGP (RBF + white, no restarts) at n = 500 and 2,000 vs scikit-learn in the same run; CG path vs
 * Cholesky at n = 2,000 (accuracy and time); predict of 10,000 points.
 * Run: `pnpm bench` in packages/gp (`GP_BENCH_SIZES=500` for the small size only).
 */
import { findPython, fmtSeconds, report, runPython, time } from '@notes/bench-kit';
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { fitGP, rbf, sum, white } from '../src/index.js';

function data(n: number) {
  const rng = createRng(42);
  const X = Array.from({ length: n }, () => [10 * rng.uniform()]);
  const e = sampleNormalArray(rng, n, 0, 0.2);
  const y = X.map((r, i) => Math.sin(r[0]) + 0.3 * Math.cos(3 * r[0]) + e[i]);
  return { X, y };
}

const SK = `
import json, sys, time
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, WhiteKernel
d = json.load(sys.stdin)
X = np.array(d["X"]); y = np.array(d["y"]); Xs = np.array(d["Xs"])
gp = GaussianProcessRegressor(kernel=RBF(1.0) + WhiteKernel(1.0), alpha=1e-10)
t = time.perf_counter(); gp.fit(X, y); fit = time.perf_counter() - t
t = time.perf_counter(); gp.predict(Xs, return_std=True); pred = time.perf_counter() - t
print(json.dumps({"fit": fit, "predict": pred, "lml": float(gp.log_marginal_likelihood_value_), "kernel": str(gp.kernel_)}))
`;

const python = findPython(['sklearn']);
const Xs = Array.from({ length: 10_000 }, (_, i) => [(12 * i) / 10_000 - 1]);
const rows = [];
const notes: string[] = [];
const SIZES = (process.env.GP_BENCH_SIZES ?? '500,2000').split(',').map(Number);
for (const n of SIZES) {
  const { X, y } = data(n);
  const kernel = sum(rbf({ lengthScale: 1 }), white(1));
  let model = fitGP(X, y, { kernel });
  const tFit = time(() => { model = fitGP(X, y, { kernel }); }, { minMs: 0, minRuns: 1, warmup: 0 });
  const tPred = time(() => model.predict(Xs), { minMs: 0, minRuns: 1, warmup: 0 });
  const sk = python ? runPython<{ fit: number; predict: number; lml: number; kernel: string }>(python, SK, { X, y, Xs }) : null;
  rows.push({ name: `fitGP RBF+white n=${n} (cholesky)`, seconds: tFit, baseline: sk?.fit ?? null, baselineName: 'scikit-learn' });
  rows.push({ name: `predict 10,000 points, n=${n}`, seconds: tPred, baseline: sk?.predict ?? null, baselineName: 'scikit-learn' });
  console.log(`  n=${n}: fit ${fmtSeconds(tFit)} (scikit-learn ${sk ? fmtSeconds(sk.fit) : 'n/a'}), predict 10,000 ${fmtSeconds(tPred)} (scikit-learn ${sk ? fmtSeconds(sk.predict) : 'n/a'})`);
  notes.push(`n=${n}: log ML ours ${model.logMarginalLikelihood.toFixed(6)} (${model.kernel}, ${model.report.iterations} it, ${model.report.reason})` +
    (sk ? `; scikit-learn ${sk.lml.toFixed(6)} (${sk.kernel}); ours − sklearn = ${(model.logMarginalLikelihood - sk.lml).toExponential(2)}` : ''));
  if (n === 2000) {
    // CG path at the fitted hyperparameters: agreement with Cholesky
    const fixed = fitGP(X, y, { kernel: model.kernel, optimize: false });
    let cg = fitGP(X, y, { kernel: model.kernel, optimize: false, method: 'cg' });
    const tCgBuild = time(() => { cg = fitGP(X, y, { kernel: model.kernel, optimize: false, method: 'cg' }); }, { minMs: 0, minRuns: 1, warmup: 0 });
    const Xt = Xs.filter((_, i) => i % 500 === 0);
    const a = fixed.predict(Xt);
    const b = cg.predict(Xt);
    let dm = 0;
    let dv = 0;
    for (let i = 0; i < Xt.length; i++) {
      dm = Math.max(dm, Math.abs(a.mean[i] - b.mean[i]));
      dv = Math.max(dv, Math.abs(a.variance[i] - b.variance[i]));
    }
    notes.push(`CG vs Cholesky at n=2000 (fixed θ): max |Δmean| ${dm.toExponential(2)}, max |Δvar| ${dv.toExponential(2)}, log ML ${cg.logMarginalLikelihood.toFixed(3)} vs ${fixed.logMarginalLikelihood.toFixed(3)} (Δ ${(cg.logMarginalLikelihood - fixed.logMarginalLikelihood).toFixed(3)})`);
    let cgFit = cg;
    const tCgFit = time(() => { cgFit = fitGP(X, y, { kernel, method: 'cg', cg: { probes: 8 } }); }, { minMs: 0, minRuns: 1, warmup: 0 });
    const exactAtCg = fitGP(X, y, { kernel: cgFit.kernel, optimize: false }).logMarginalLikelihood;
    rows.push({ name: 'CG build at fixed θ n=2000', seconds: tCgBuild, baseline: null });
    rows.push({ name: 'fitGP RBF+white n=2000 (cg, 8 probes)', seconds: tCgFit, baseline: sk?.fit ?? null, baselineName: 'scikit-learn' });
    notes.push(`CG fit n=2000: exact log ML at the CG optimum ${exactAtCg.toFixed(4)} vs Cholesky optimum ${model.logMarginalLikelihood.toFixed(4)} (${cgFit.kernel}, ${cgFit.report.iterations} it, ${cgFit.report.reason})`);
  }
}
report('@notes/gp fitGP / predict (ratio = scikit-learn time / ours; > 1 means faster)', rows);
for (const s of notes) console.log(`  ${s}`);
console.log(`  timings: ${rows.map((r) => `${r.name} ${fmtSeconds(r.seconds)}`).join('; ')}`);
