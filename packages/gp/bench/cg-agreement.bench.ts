/**
 * CG path vs Cholesky at n = 2,000 with fixed hyperparameters (RBF ℓ = 0.9 + white 0.04, 1-D): predictive
 * mean/variance differences, log-ML difference against the SLQ standard error, gradient differences against
 * their standard errors, and the time of each path.
 */
import { fmtSeconds, report } from '@notes/bench-kit';
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { fitGP, logMarginalLikelihood, rbf, sum, white } from '../src/index.js';
import { readPoints as toPoints } from '../src/kernels/points.js';
import { CG_DEFAULTS, lmlCG } from '../src/gp-regression/cg.js';

const n = 2000;
const rng = createRng(42);
const X = Array.from({ length: n }, () => [10 * rng.uniform()]);
const e = sampleNormalArray(rng, n, 0, 0.2);
const y = X.map((r, i) => Math.sin(r[0]) + 0.3 * Math.cos(3 * r[0]) + e[i]);
const kernel = sum(rbf({ lengthScale: 0.9 }), white(0.04));
const Xt = Array.from({ length: 20 }, (_, i) => [-0.5 + (11 * i) / 19]);

let t = performance.now();
const chol = fitGP(X, y, { kernel, optimize: false });
const pa = chol.predict(Xt);
const tChol = (performance.now() - t) / 1000;
console.log(`  cholesky build + predict 20: ${fmtSeconds(tChol)}`);
t = performance.now();
const cg = fitGP(X, y, { kernel, optimize: false, method: 'cg' });
const pb = cg.predict(Xt);
const tCg = (performance.now() - t) / 1000;
console.log(`  cg build + predict 20: ${fmtSeconds(tCg)}`);
let dm = 0;
let dv = 0;
for (let i = 0; i < Xt.length; i++) {
  dm = Math.max(dm, Math.abs(pa.mean[i] - pb.mean[i]));
  dv = Math.max(dv, Math.abs(pa.variance[i] - pb.variance[i]));
}
const se = cg.report.logMarginalLikelihoodStdErr ?? Number.NaN;
console.log(`  max |Δmean| ${dm.toExponential(2)}, max |Δvariance| ${dv.toExponential(2)}`);
console.log(`  log ML: cholesky ${chol.logMarginalLikelihood.toFixed(4)}, cg ${cg.logMarginalLikelihood.toFixed(4)} (Δ ${(cg.logMarginalLikelihood - chol.logMarginalLikelihood).toExponential(2)}, SLQ standard error ${se.toExponential(2)})`);
t = performance.now();
const exact = logMarginalLikelihood(kernel, X, y);
const tExactGrad = (performance.now() - t) / 1000;
t = performance.now();
const est = lmlCG(kernel, toPoints(X, 'bench', 'X'), Float64Array.from(y), 1e-10, { ...CG_DEFAULTS, seed: 0 }, true);
const tCgGrad = (performance.now() - t) / 1000;
for (let i = 0; i < exact.gradient.length; i++) {
  const d = est.gradient[i] - exact.gradient[i];
  console.log(`  ∂/∂θ${i}: exact ${exact.gradient[i].toFixed(6)}, cg ${est.gradient[i].toFixed(6)} ± ${est.gradientStdErr[i].toExponential(1)} (s.e.); Δ ${d.toExponential(2)} = ${(d / est.gradientStdErr[i]).toFixed(1)} s.e.`);
}
report('@notes/gp CG vs Cholesky, n = 2,000 (baseline = Cholesky)', [
  { name: 'build at fixed θ + predict 20 (cg)', seconds: tCg, baseline: tChol, baselineName: 'cholesky' },
  { name: 'log ML + gradient (cg estimate)', seconds: tCgGrad, baseline: tExactGrad, baselineName: 'cholesky exact' },
]);
