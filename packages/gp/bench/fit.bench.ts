/**
 * fitGP (RBF + white, no restarts) at n = 500 and 2,000 vs scikit-learn in the same run; CG path vs
 * Cholesky at n = 2,000 (accuracy and time); predict of 10,000 points.
 * Each size is fitted and predicted `GP_BENCH_REPS` times (5 at n ≤ 1,000, 2 above), ours and scikit-learn's
 * interleaved; wall and CPU time (user + system of each process) are printed as ranges, the ratios per
 * repetition. With `node --expose-gc` (as `pnpm bench` runs it) a full garbage collection precedes each of our
 * timed calls, so that neither pays for the previous one's garbage (scikit-learn runs in a fresh process). Run: `pnpm bench` in packages/gp (`GP_BENCH_SIZES=500` for the small size only,
 * `GP_BENCH_CG=0` to skip the CG rows at n = 2,000).
 *
 * Pooled rows: the same predict through `model.predictAsync(Xs, { pool })` with a worker pool of
 * `GP_BENCH_THREADS` threads (default 2 = the calling thread + 1 worker; `GP_BENCH_THREADS=1` skips them),
 * created once before any timing as a user would keep it (its start-up time is printed separately). Each
 * repetition predicts with two fresh copies of the fitted model (`fromJSON`, so neither call finds the other's
 * packed factor), single-thread and pooled, and checks that they agree bit for bit. CPU time of the pooled
 * call is the whole process's (all threads).
 *
 * Kernel variant: core's WebAssembly macro-kernels use relaxed SIMD's fused multiply-add where the runtime compiles
 * it (Node ≥ 22; Node 20 only with `--experimental-wasm-relaxed-simd`: `pnpm bench:fma` runs this bench so, workers
 * included); the variant in use is printed with the results.
 */
import { findPython, fmtSeconds, report, runPython, time } from '@notes/bench-kit';
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { wasmFmaActive } from '@notes/core-linalg/kernels';
import { GPModel, fitGP, rbf, sum, white } from '../src/index.js';
import { createGPWorkerPool } from '../src/node.js';

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
import scipy.optimize
d = json.load(sys.stdin)
X = np.array(d["X"]); y = np.array(d["y"]); Xs = np.array(d["Xs"])
counts = []
class Counted(GaussianProcessRegressor):
    def _constrained_optimization(self, obj_func, initial_theta, bounds):
        r = scipy.optimize.minimize(obj_func, initial_theta, method="L-BFGS-B", jac=True, bounds=bounds)
        counts.append((int(r.nit), int(r.nfev)))
        return r.x, r.fun
gp = Counted(kernel=RBF(1.0) + WhiteKernel(1.0), alpha=1e-10)
t = time.perf_counter(); c = time.process_time(); gp.fit(X, y); fit = time.perf_counter() - t; fitCpu = time.process_time() - c
t = time.perf_counter(); c = time.process_time(); gp.predict(Xs, return_std=True); pred = time.perf_counter() - t; predCpu = time.process_time() - c
print(json.dumps({"fit": fit, "fitCpu": fitCpu, "predict": pred, "predictCpu": predCpu, "iterations": counts[0][0], "evaluations": counts[0][1], "lml": float(gp.log_marginal_likelihood_value_), "kernel": str(gp.kernel_)}))
`;

interface Run {
  fit: number;
  fitCpu: number;
  predict: number;
  predictCpu: number;
}
interface PooledRun {
  pooled: number;
  pooledCpu: number;
}
/** A full garbage collection before a timed call when run with `--expose-gc` (no-op otherwise). */
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Wall and CPU seconds of one call (CPU = user + system of this process), after {@link collect}. */
function measure<T>(fn: () => T): { value: T; wall: number; cpu: number } {
  collect();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}
const range = (v: number[]) => `${fmtSeconds(Math.min(...v))}–${fmtSeconds(Math.max(...v))}`;
const ratios = (a: number[], b: number[]) => {
  const r = a.map((x, i) => x / (b[i] as number));
  return `${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)}×`;
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

/** {@link measure} of an async call. */
async function measureAsync<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  collect();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

const THREADS = Number(process.env.GP_BENCH_THREADS ?? 2);
const poolStart = performance.now();
const pool = THREADS > 1 ? await createGPWorkerPool({ threads: THREADS }) : null;
const poolStartMs = performance.now() - poolStart;
const python = findPython(['sklearn']);
const Xs = Array.from({ length: 10_000 }, (_, i) => [(12 * i) / 10_000 - 1]);
const rows = [];
const notes: string[] = [];
const SIZES = (process.env.GP_BENCH_SIZES ?? '500,2000').split(',').map(Number);
for (const n of SIZES) {
  const { X, y } = data(n);
  const kernel = sum(rbf({ lengthScale: 1 }), white(1));
  // repetitions, ours and scikit-learn's interleaved so both see the same load
  const reps = Number(process.env.GP_BENCH_REPS ?? (n <= 1000 ? 5 : 2));
  let model = fitGP(X, y, { kernel }); // warm-up
  const warmXs = Xs.slice(0, Math.max(n, 2000));
  GPModel.fromJSON(model.toJSON()).predict(warmXs);
  if (pool) await GPModel.fromJSON(model.toJSON()).predictAsync(warmXs, { pool });
  const ours: Run[] = [];
  const pooled: PooledRun[] = [];
  let pooledDiffs = 0;
  const sks: (Run & { lml: number; kernel: string; iterations: number; evaluations: number })[] = [];
  for (let r = 0; r < reps; r++) {
    const f = measure(() => fitGP(X, y, { kernel }));
    model = f.value;
    const single = GPModel.fromJSON(model.toJSON());
    const p = measure(() => single.predict(Xs));
    ours.push({ fit: f.wall, fitCpu: f.cpu, predict: p.wall, predictCpu: p.cpu });
    if (pool) {
      const fresh = GPModel.fromJSON(model.toJSON());
      const q = await measureAsync(() => fresh.predictAsync(Xs, { pool }));
      pooled.push({ pooled: q.wall, pooledCpu: q.cpu });
      for (let i = 0; i < Xs.length; i++) {
        if (!Object.is(q.value.mean[i], p.value.mean[i]) || !Object.is(q.value.variance[i], p.value.variance[i])) pooledDiffs++;
      }
    }
    if (python) sks.push(runPython(python, SK, { X, y, Xs }));
  }
  const col = (runs: Run[], k: keyof Run) => runs.map((r) => r[k]);
  const sk = sks.length ? { fit: median(col(sks, 'fit')), predict: median(col(sks, 'predict')) } : null;
  rows.push({ name: `fitGP RBF+white n=${n} (cholesky), median wall of ${reps}`, seconds: median(col(ours, 'fit')), baseline: sk?.fit ?? null, baselineName: 'scikit-learn' });
  rows.push({ name: `predict 10,000 points, n=${n}, median wall of ${reps}`, seconds: median(col(ours, 'predict')), baseline: sk?.predict ?? null, baselineName: 'scikit-learn' });
  if (pool) {
    const pcol = (k: keyof PooledRun) => pooled.map((r) => r[k]);
    rows.push({ name: `predictAsync 10,000 points, n=${n}, pool threads ${THREADS} (main + ${THREADS - 1} worker${THREADS > 2 ? 's' : ''}), median wall of ${reps}`, seconds: median(pcol('pooled')), baseline: sk?.predict ?? null, baselineName: 'scikit-learn' });
    console.log(`  n=${n}: pooled predict (threads ${THREADS}) wall ${range(pcol('pooled'))}, CPU (all threads) ${range(pcol('pooledCpu'))}; entries differing from predict: ${pooledDiffs} of ${2 * Xs.length * reps}`);
    if (sks.length) console.log(`  n=${n}: speed ratio (scikit-learn / ours pooled, per repetition) predict wall ${ratios(col(sks, 'predict'), pcol('pooled'))}, CPU ${ratios(col(sks, 'predictCpu'), pcol('pooledCpu'))}; pooled vs single thread wall ${ratios(col(ours, 'predict'), pcol('pooled'))}`);
  }
  console.log(`  n=${n}: fit wall ${range(col(ours, 'fit'))}, CPU ${range(col(ours, 'fitCpu'))}; predict wall ${range(col(ours, 'predict'))}, CPU ${range(col(ours, 'predictCpu'))}`);
  if (sks.length) {
    console.log(`  n=${n}: scikit-learn fit wall ${range(col(sks, 'fit'))}, CPU ${range(col(sks, 'fitCpu'))}; predict wall ${range(col(sks, 'predict'))}, CPU ${range(col(sks, 'predictCpu'))}`);
    console.log(`  n=${n}: speed ratio (scikit-learn / ours, per repetition) fit wall ${ratios(col(sks, 'fit'), col(ours, 'fit'))}, CPU ${ratios(col(sks, 'fitCpu'), col(ours, 'fitCpu'))}; predict wall ${ratios(col(sks, 'predict'), col(ours, 'predict'))}, CPU ${ratios(col(sks, 'predictCpu'), col(ours, 'predictCpu'))}`);
  }
  const s0 = sks[0];
  notes.push(`n=${n}: log ML ours ${model.logMarginalLikelihood.toFixed(9)} (${model.kernel}, ${model.report.iterations} L-BFGS iterations, ${model.report.evaluations} evaluations, ${model.report.reason})` +
    (s0 ? `; scikit-learn ${s0.lml.toFixed(9)} (${s0.kernel}, ${s0.iterations} iterations, ${s0.evaluations} evaluations); ours − sklearn = ${(model.logMarginalLikelihood - s0.lml).toExponential(2)}` : ''));
  if (n === 2000 && process.env.GP_BENCH_CG !== '0') {
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
    rows.push({ name: 'fitGP RBF+white n=2000 (cg, 8 probes)', seconds: tCgFit, baseline: sk?.fit ?? null, baselineName: 'scikit-learn (median)' });
    notes.push(`CG fit n=2000: exact log ML at the CG optimum ${exactAtCg.toFixed(4)} vs Cholesky optimum ${model.logMarginalLikelihood.toFixed(4)} (${cgFit.kernel}, ${cgFit.report.iterations} it, ${cgFit.report.reason})`);
  }
}
await pool?.close();
if (pool) notes.push(`worker pool (threads ${THREADS}) start-up before timing: ${poolStartMs.toFixed(0)} ms (workers from source through tsx when run with --import tsx)`);
report('@notes/gp fitGP / predict (ratio = scikit-learn time / ours; > 1 means faster)', rows);
notes.push(`WebAssembly kernels: ${wasmFmaActive() ? 'relaxed-SIMD FMA variant (f64x2.relaxed_madd)' : 'plain SIMD variant (mul + add; no relaxed SIMD in this runtime)'}, Node ${process.version}`);
for (const s of notes) console.log(`  ${s}`);
console.log(`  timings: ${rows.map((r) => `${r.name} ${fmtSeconds(r.seconds)}`).join('; ')}`);
