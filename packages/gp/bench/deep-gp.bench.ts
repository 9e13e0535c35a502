/**
 * Deep GP vs SVGP (Salimbeni & Deisenroth 2017's comparison) on three regression sets, 10 random 90/10 splits each:
 * mean ± SE over splits of the test log-likelihood per point (original units of y), the paired difference to
 * SVGP, and test RMSE. SVGP is the one-layer model trained by the same loop (Adam on every parameter, same
 * inducing count, steps and learning rate), so the comparison isolates depth.
 *
 * - step: a seeded non-stationary set, y = 1[x > 0] + noise with sd 0.03 for x < 0 and 0.15 for x > 0, n = 300, x ~ U(−1, 1);
 * - diabetes: scikit-learn's diabetes data (442 × 10, fixtures/diabetes.json, BSD-3-Clause, Efron et al. 2004);
 * - cars: vega-datasets cars.json (BSD-3-Clause), miles per gallon from cylinders, displacement, horsepower,
 *   weight, acceleration and model year (392 complete rows).
 *
 * Inputs are standardised on each training split; y is standardised inside the fit (normalizeY).
 * Env: DGP_SPLITS (10), DGP_M (inducing points per layer, 30), DGP_STEPS (Adam steps on full batches: 1,000 on the
 * 1-D step set, 300 on the real sets, where 1,000 steps overfit the deep models in a 2-split trial), DGP_LR (0.03),
 * DGP_SETS (comma list, all). Writes bench/results/deep-gp.json. CPU seconds are process CPU time (the machine is
 * shared); at the defaults the whole run is ≈ 4–5 CPU minutes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@notes/core-linalg';
import { fitDeepGP } from '../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const SPLITS = Number(process.env.DGP_SPLITS ?? 10);
const M = Number(process.env.DGP_M ?? 30);
const STEPS: Record<string, number> = process.env.DGP_STEPS ? { step: Number(process.env.DGP_STEPS), diabetes: Number(process.env.DGP_STEPS), cars: Number(process.env.DGP_STEPS) } : { step: 1000, diabetes: 300, cars: 300 };
const LR = Number(process.env.DGP_LR ?? 0.03);
const SETS = (process.env.DGP_SETS ?? 'step,diabetes,cars').split(',');

interface DataSet {
  name: string;
  X: number[][];
  y: number[];
}

/** The seeded step set (also drawn by the demo apps/demos/src/demos/gp/deep-gp.ts with its own seed). */
function stepData(n: number, seed: number): DataSet {
  const r = createRng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = 2 * r.uniform() - 1;
    X.push([x]);
    y.push((x > 0 ? 1 : 0) + (x > 0 ? 0.15 : 0.03) * r.normal());
  }
  return { name: 'step', X, y };
}

function diabetes(): DataSet {
  const d = JSON.parse(readFileSync(join(here, '..', 'fixtures', 'diabetes.json'), 'utf8')) as { X: number[][]; y: number[] };
  return { name: 'diabetes', X: d.X, y: d.y };
}

function cars(): DataSet {
  // the package exports only its JS entry (build/index.js); the data files sit in data/ beside build/
  const file = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'cars.json');
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number | string | null>[];
  const keys = ['Cylinders', 'Displacement', 'Horsepower', 'Weight_in_lbs', 'Acceleration'];
  const X: number[][] = [];
  const y: number[] = [];
  for (const r of rows) {
    const f = keys.map((k) => r[k]);
    const year = Number(String(r.Year).slice(0, 4));
    if (typeof r.Miles_per_Gallon !== 'number' || f.some((v) => typeof v !== 'number')) continue;
    X.push([...(f as number[]), year]);
    y.push(r.Miles_per_Gallon);
  }
  return { name: 'cars', X, y };
}

function split(ds: DataSet, seed: number) {
  const r = createRng(1000 + seed);
  const idx = ds.X.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(r.uniform() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  const nTest = Math.round(ds.X.length / 10);
  const te = idx.slice(0, nTest);
  const tr = idx.slice(nTest);
  const d = (ds.X[0] as number[]).length;
  const mu = new Array<number>(d).fill(0);
  const sd = new Array<number>(d).fill(0);
  for (const i of tr) for (let j = 0; j < d; j++) mu[j] = (mu[j] as number) + ((ds.X[i] as number[])[j] as number) / tr.length;
  for (const i of tr) for (let j = 0; j < d; j++) sd[j] = (sd[j] as number) + (((ds.X[i] as number[])[j] as number) - (mu[j] as number)) ** 2 / tr.length;
  const std = (i: number) => (ds.X[i] as number[]).map((v, j) => (v - (mu[j] as number)) / (Math.sqrt(sd[j] as number) || 1));
  return { X: tr.map(std), y: tr.map((i) => ds.y[i] as number), Xt: te.map(std), yt: te.map((i) => ds.y[i] as number) };
}

const cpuNow = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const meanSe = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  const s = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1) / v.length) : 0;
  return { mean: m, se: s };
};

const MODELS = [
  { name: 'SVGP', layers: 1 },
  { name: 'DGP-2', layers: 2 },
  { name: 'DGP-3', layers: 3 },
];
const sets = [stepData(300, 7), diabetes(), cars()].filter((s) => SETS.includes(s.name));
const results: Record<string, unknown> = { config: { splits: SPLITS, inducing: M, steps: STEPS, learningRate: LR, samples: 1, predictSamples: 100 } };
const t0 = Date.now();
for (const ds of sets) {
  const per: Record<string, { ll: number[]; rmse: number[]; cpu: number[] }> = {};
  for (const m of MODELS) per[m.name] = { ll: [], rmse: [], cpu: [] };
  for (let s = 0; s < SPLITS; s++) {
    const sp = split(ds, s);
    for (const m of MODELS) {
      const c0 = cpuNow();
      const model = fitDeepGP(sp.X, sp.y, { layers: m.layers, inducing: Math.min(M, sp.X.length), epochs: STEPS[ds.name] as number, learningRate: LR, normalizeY: true, seed: s });
      const lpd = model.logPredictiveDensity(sp.Xt, sp.yt, { samples: 100, seed: s });
      const pr = model.predict(sp.Xt, { samples: 100, seed: s });
      const cpu = cpuNow() - c0;
      const ll = Array.from(lpd).reduce((a, b) => a + b, 0) / lpd.length;
      const rmse = Math.sqrt(sp.yt.reduce((a, v, i) => a + (v - (pr.mean[i] as number)) ** 2, 0) / sp.yt.length);
      const r = per[m.name] as { ll: number[]; rmse: number[]; cpu: number[] };
      r.ll.push(ll);
      r.rmse.push(rmse);
      r.cpu.push(cpu);
      console.log(`${ds.name} split ${s} ${m.name}: test log-lik ${ll.toFixed(4)} / point, RMSE ${rmse.toFixed(4)}, ${cpu.toFixed(1)} CPU s (wall so far ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  }
  const base = (per.SVGP as { ll: number[] }).ll;
  const summary: Record<string, unknown> = { n: ds.X.length, d: (ds.X[0] as number[]).length };
  for (const m of MODELS) {
    const r = per[m.name] as { ll: number[]; rmse: number[]; cpu: number[] };
    summary[m.name] = {
      testLogLik: meanSe(r.ll),
      diffToSVGP: meanSe(r.ll.map((v, i) => v - (base[i] as number))),
      rmse: meanSe(r.rmse),
      cpuSecondsPerFit: meanSe(r.cpu).mean,
      perSplit: r.ll,
    };
  }
  results[ds.name] = summary;
  console.log(`\n${ds.name} (n = ${ds.X.length}, d = ${(ds.X[0] as number[]).length}), ${SPLITS} splits, M = ${M}, ${STEPS[ds.name]} steps:`);
  for (const m of MODELS) {
    const r = summary[m.name] as { testLogLik: { mean: number; se: number }; diffToSVGP: { mean: number; se: number }; rmse: { mean: number; se: number }; cpuSecondsPerFit: number };
    console.log(
      `  ${m.name.padEnd(6)} test log-lik ${r.testLogLik.mean.toFixed(3)} ± ${r.testLogLik.se.toFixed(3)}  (− SVGP: ${r.diffToSVGP.mean.toFixed(3)} ± ${r.diffToSVGP.se.toFixed(3)})  RMSE ${r.rmse.mean.toFixed(3)} ± ${r.rmse.se.toFixed(3)}  ${r.cpuSecondsPerFit.toFixed(1)} CPU s/fit`,
    );
  }
}
results.wallSeconds = (Date.now() - t0) / 1000;
console.log(`total wall ${results.wallSeconds} s`);
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(join(here, 'results', 'deep-gp.json'), `${JSON.stringify(results, null, 2)}\n`);
