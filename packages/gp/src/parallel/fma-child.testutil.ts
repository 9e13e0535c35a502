/**
 * Run by `fma-child.test.ts` in a child `node --experimental-wasm-relaxed-simd --import tsx` process whose
 * `@notes/*` imports map to the workspace sources (tsconfig `paths`, given as the first argument), so that core's
 * kernels run their relaxed-SIMD (FMA) variant: pooled predictions (2 and 3 threads) against `predict` bit for
 * bit, with the FMA variant and with the plain one forced on the calling thread (`setWasmFma('off')`, which the
 * workers must follow); FMA `predict` against plain `predict` (normwise relative difference); `fitGP` log ML with
 * both. Writes JSON to the file named by its second argument.
 * @internal
 */
import { writeFileSync } from 'node:fs';
import { setWasmFma, wasmFmaActive } from '@notes/core-linalg/kernels';
import { fitGP } from '../gp-regression/fit.js';
import { GPModel, type GPPrediction } from '../gp-regression/model.js';
import { type Kernel, constant, matern, rbf, sum, white } from '../kernels/index.js';
import { createRng } from '@notes/core-linalg';
import { locateWorkerScript, startPool } from './pool.js';

const tsconfig = process.argv[2] as string;
const resultFile = process.argv[3] as string;

function problem(n: number, m: number, d: number, seed: number) {
  const rng = createRng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => 6 * rng.uniform()));
  const y = X.map((r) => 3 + Math.sin(r[0] as number) + 0.1 * rng.normal());
  const Xs = Array.from({ length: m }, () => Array.from({ length: d }, () => 8 * rng.uniform() - 1));
  return { X, y, Xs };
}

function bitDiffs(p: GPPrediction, q: GPPrediction): number {
  let k = 0;
  for (const key of ['mean', 'variance', 'std'] as const) for (let i = 0; i < p[key].length; i++) if (!Object.is(p[key][i], q[key][i])) k++;
  return k;
}

function relDiff(p: GPPrediction, q: GPPrediction): number {
  let worst = 0;
  for (const key of ['mean', 'variance'] as const) {
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < p[key].length; i++) {
      diff = Math.max(diff, Math.abs(p[key][i]! - q[key][i]!));
      scale = Math.max(scale, Math.abs(q[key][i]!));
    }
    worst = Math.max(worst, diff / scale);
  }
  return worst;
}

const cases: [string, number, number, number, () => Kernel][] = [
  ['rbf + white, d = 1', 300, 2000, 1, () => sum(rbf({ lengthScale: 0.9 }), white(0.04))],
  ['matern + const, d = 3', 257, 1500, 3, () => sum(matern({ nu: 1.5, lengthScale: 1.2 }), constant(0.3))],
];

const fma = wasmFmaActive();
const pools = await Promise.all([2, 3].map((t) => startPool(t, { ...locateWorkerScript(), tsconfig })));
const results = [];
try {
  for (const [name, n, m, d, make] of cases) {
    const { X, y, Xs } = problem(n, m, d, n);
    const json = fitGP(X, y, { kernel: make(), optimize: false, noise: 1e-3 }).toJSON();
    // fresh copies per variant: a model keeps its packed factor, made with the variant active at the time
    setWasmFma('auto');
    const withFma = GPModel.fromJSON(json).predict(Xs);
    const pooledFma = await Promise.all(pools.map((p) => GPModel.fromJSON(json).predictAsync(Xs, { pool: p })));
    setWasmFma('off');
    const plain = GPModel.fromJSON(json).predict(Xs);
    const pooledPlain = await Promise.all(pools.map((p) => GPModel.fromJSON(json).predictAsync(Xs, { pool: p })));
    setWasmFma('auto');
    results.push({
      name,
      pooledFmaDiffs: pooledFma.map((p) => bitDiffs(p, withFma)),
      pooledPlainDiffs: pooledPlain.map((p) => bitDiffs(p, plain)),
      fmaVsPlainDiffs: bitDiffs(withFma, plain),
      fmaVsPlainRel: relDiff(withFma, plain),
      entries: 3 * m,
    });
  }
} finally {
  await Promise.all(pools.map((p) => p.close()));
}
// the fit (ResidentCholesky on the macro-kernel) with both variants
const { X, y } = problem(400, 1, 1, 9);
setWasmFma('auto');
const lmlFma = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 1 }), white(1)) }).logMarginalLikelihood;
setWasmFma('off');
const lmlPlain = fitGP(X, y, { kernel: sum(rbf({ lengthScale: 1 }), white(1)) }).logMarginalLikelihood;
setWasmFma('auto');
writeFileSync(resultFile, JSON.stringify({ fma, results, lmlFma, lmlPlain }));
