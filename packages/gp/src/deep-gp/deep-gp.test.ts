// Deep GP proofs, each against an independent answer: one layer = SVGP (bound and predictions, from svgp.ts, for the
// same q(u) in whitened coordinates), the gradient of a 2- and 3-layer bound = central differences, the sampled predictive of a 2-layer model =
// a plain Monte-Carlo of the layer composition written here with ml-matrix, seeded runs identical, JSON exact.
import { createRng, makeFitReport, sampleNormalArray } from '@notes/core-linalg';
import { CholeskyDecomposition, Matrix, inverse } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { rbf, scale } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';
import { SVGPModel } from '../sparse/svgp-fit.js';
import { type SVGPState, svgpElbo, svgpMoments, svgpNaturalStep, svgpPrior } from '../sparse/svgp.js';
import { DeepGPModel, type DeepGPModelJSON, fitDeepGP, fitDeepGPAsync } from './fit.js';
import { type LayerParams, boundAndGradient, boundValue, drawEps, layoutOf, pack, unpack } from './layers.js';

const rng = createRng(21);
const n = 60;
const X: Points = { data: Float64Array.from({ length: 2 * n }, () => 4 * rng.uniform()), n, d: 2 };
const e = sampleNormalArray(rng, n, 0, 0.1);
const y = Float64Array.from({ length: n }, (_, i) => Math.sin(X.data[2 * i] as number) * Math.cos(X.data[2 * i + 1] as number) + (e[i] as number));
const Z: Points = { data: Float64Array.from({ length: 2 * 9 }, () => 4 * rng.uniform()), n: 9, d: 2 };
const Xr = Array.from({ length: n }, (_, i) => [X.data[2 * i] as number, X.data[2 * i + 1] as number]);
const rows = (a: ArrayLike<number>, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => a[i * c + j] as number));
const report = makeFitReport({ reason: 'completed', iterations: 0, elapsedMs: 0 });

/** Lower Cholesky factor (plain, for building q(u) from S). */
function chol(S: Float64Array, m: number): Float64Array {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = S[i * m + j] as number;
      for (let k = 0; k < j; k++) s -= (L[i * m + k] as number) * (L[j * m + k] as number);
      L[i * m + j] = i === j ? Math.sqrt(s) : s / (L[j * m + j] as number);
    }
  }
  return L;
}

describe('one layer = SVGP (same q(u), kernel, noise)', () => {
  const variance = 0.9;
  const ls = [0.8, 1.2];
  const kernel = scale(rbf({ lengthScale: ls }), variance);
  const noise = 0.04;
  const jitter = 1e-6;
  const r = createRng(3);
  let state: SVGPState = svgpPrior(kernel, Z, jitter);
  for (let t = 0; t < 4; t++) state = svgpNaturalStep(kernel, Z, X, y, noise, jitter, state, Array.from({ length: 9 }, () => Math.floor(r.uniform() * n)), 0.6);
  const { mean, S } = svgpMoments(state);
  // whitened q(v) of the same q(u): v = L⁻¹u with L = chol(K_mm + jitter·σ_f² I), so m_v = L⁻¹m, L_v = L⁻¹ chol(S)
  const K = kernel.computeMatrix(Z);
  for (let i = 0; i < 9; i++) K[i * 9 + i] = (K[i * 9 + i] as number) + jitter * variance;
  const L = new Matrix(rows(chol(K, 9), 9, 9));
  const Linv = inverse(L);
  const mv = Linv.mmul(Matrix.columnVector(Array.from(mean)));
  const Lv = Linv.mmul(new Matrix(rows(chol(S, 9), 9, 9)));
  for (let i = 0; i < 9; i++) for (let j = i + 1; j < 9; j++) Lv.set(i, j, 0); // exact zeros above the diagonal
  const json: DeepGPModelJSON = {
    kind: 'deep-gp',
    version: 1,
    layers: [{ variance, lengthScale: ls, Z: rows(Z.data, 9, 2), qMu: mv.to2DArray(), qSqrt: [Lv.to2DArray()], meanFunction: null }],
    noise,
    jitter,
    yMean: 0,
    yStd: 1,
    report,
  };
  const dgp = DeepGPModel.fromJSON(json);

  test('the bound equals svgpElbo (1e-12 relative)', () => {
    const ref = svgpElbo(kernel, Z, X, y, noise, jitter, state);
    console.info(`one layer: bound ${dgp.elbo(Xr, y)} vs svgpElbo ${ref} (relative ${(Math.abs(dgp.elbo(Xr, y) - ref) / Math.abs(ref)).toExponential(1)})`);
    expect(Math.abs(dgp.elbo(Xr, y) - ref) / Math.abs(ref)).toBeLessThan(1e-12);
  });

  test('predictive mean and variance equal SVGPModel.predict (1e-12)', () => {
    const sv = new SVGPModel(kernel, noise, jitter, Z, state, 0, 1, report);
    const Xs = [[0.2, 3.1], [2, 2], [3.7, 0.4], [5, -1]];
    const a = dgp.predict(Xs, { samples: 3 });
    const b = sv.predict(Xs);
    console.info(`one layer: max |Δmean| ${Math.max(...Xs.map((_, i) => Math.abs((a.mean[i] as number) - (b.mean[i] as number)))).toExponential(1)}, max |Δvariance| ${Math.max(...Xs.map((_, i) => Math.abs((a.variance[i] as number) - (b.variance[i] as number)))).toExponential(1)}`);
    for (let i = 0; i < Xs.length; i++) {
      expect(Math.abs((a.mean[i] as number) - (b.mean[i] as number))).toBeLessThan(1e-12);
      expect(Math.abs((a.variance[i] as number) - (b.variance[i] as number))).toBeLessThan(1e-12);
    }
    // one layer: log predictive density = log N(y | μ, σ² + noise) whatever S
    const lpd = dgp.logPredictiveDensity(Xs, [0, 1, 0.5, 0], { samples: 2 });
    for (let i = 0; i < Xs.length; i++) {
      const v = (b.variance[i] as number) + noise;
      const ref = -0.5 * Math.log(2 * Math.PI * v) - ([0, 1, 0.5, 0][i] as number - (b.mean[i] as number)) ** 2 / (2 * v);
      expect(Math.abs((lpd[i] as number) - ref)).toBeLessThan(1e-10);
    }
  });
});

/** A random L-layer model on 2-D inputs (hidden width 2) with non-trivial q(u). */
function randomLayers(L: number, seed: number, m = 6): LayerParams[] {
  const r = createRng(seed);
  const layers: LayerParams[] = [];
  let dIn = 2;
  for (let l = 0; l < L; l++) {
    const last = l === L - 1;
    const dOut = last ? 1 : 2;
    const qSqrt = new Float64Array(dOut * m * m);
    for (let t = 0; t < dOut; t++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < i; j++) qSqrt[t * m * m + i * m + j] = 0.1 * r.normal();
        qSqrt[t * m * m + i * m + i] = 0.3 + 0.3 * r.uniform();
      }
    }
    layers.push({
      dIn,
      dOut,
      m,
      variance: 0.5 + r.uniform(),
      lengthScale: Float64Array.from({ length: dIn }, () => 0.8 + r.uniform()),
      Z: Float64Array.from({ length: m * dIn }, () => 4 * r.uniform() - (l > 0 ? 2 : 0)),
      qMu: Float64Array.from({ length: m * dOut }, () => 0.5 * r.normal()),
      qSqrt,
      W: last ? null : Float64Array.from({ length: dIn * dOut }, (_, i) => (i % (dOut + 1) === 0 ? 1 : 0.2)),
    });
    dIn = dOut;
  }
  return layers;
}

describe('gradient of the sampled bound = central differences (fixed ε)', () => {
  for (const L of [2, 3]) {
    test(`${L} layers, learned Z, a minibatch of 11 rows × 3 samples`, () => {
      const layers = randomLayers(L, 10 + L);
      const noise = 0.07;
      const jitter = 1e-6;
      const layout = layoutOf(layers, true);
      const idx = Array.from({ length: 11 }, (_, i) => (i * 5 + 1) % n);
      const eps = drawEps(layers, idx.length * 3, createRng(4));
      const batch = { X: X.data, d: 2, y, n, idx, samples: 3, eps };
      const x0 = pack(layers, noise, layout);
      const { value, gradient } = boundAndGradient(layers, noise, layout, jitter, batch);
      const at = (x: Float64Array) => {
        const u = unpack(x, layers, layout);
        return boundValue(u.layers, u.noise, jitter, batch);
      };
      expect(Math.abs(at(x0) - value)).toBeLessThan(1e-9 * Math.abs(value));
      const h = 1e-5;
      let checked = 0;
      let worst = 0;
      for (let k = 0; k < x0.length; k++) {
        // every kernel, Z and noise entry; every 3rd q(u) entry (upper-triangle entries must have gradient 0)
        if (!layout.logKernel.includes(k) && k !== x0.length - 1 && k % 3 !== 0) continue;
        const xp = x0.slice();
        const xm = x0.slice();
        xp[k] = (xp[k] as number) + h;
        xm[k] = (xm[k] as number) - h;
        const fd = (at(xp) - at(xm)) / (2 * h);
        worst = Math.max(worst, Math.abs((gradient[k] as number) - fd) / Math.max(1, Math.abs(fd)));
        checked++;
      }
      console.info(`${L} layers: ${checked} gradient entries vs central differences, worst relative error ${worst.toExponential(1)}`);
      expect(checked).toBeGreaterThan(50);
      expect(worst).toBeLessThan(1e-7);
    });
  }
});

describe('sampled predictive of a 2-layer model vs a Monte-Carlo of the layer composition', () => {
  test('mean and variance within 4 standard errors at 3 points', () => {
    // 1-D input, hidden width 1, independent reference: K_mm⁻¹ by ml-matrix, 200,000 draws of f1 then f2 | f1
    const m = 5;
    const r = createRng(8);
    const lay = (dIn: number, dOut: number, last: boolean) => ({
      variance: 0.8 + 0.4 * r.uniform(),
      lengthScale: [0.7 + 0.5 * r.uniform()],
      Z: Array.from({ length: m }, () => [3 * r.uniform() - 1.5]),
      qMu: Array.from({ length: m }, () => [r.normal()]),
      qSqrt: [Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, j) => (j < i ? 0.2 * r.normal() : j === i ? 0.4 + 0.2 * r.uniform() : 0)))],
      meanFunction: last ? null : [[dIn === dOut ? 1 : 0]],
    });
    const json: DeepGPModelJSON = { kind: 'deep-gp', version: 1, layers: [lay(1, 1, false), lay(1, 1, true)], noise: 0.05, jitter: 1e-6, yMean: 0.3, yStd: 2, report };
    const model = DeepGPModel.fromJSON(json);
    const refLayer = (lj: (typeof json.layers)[number]) => {
      const k = (a: number, b: number) => lj.variance * Math.exp(-0.5 * ((a - b) / (lj.lengthScale[0] as number)) ** 2);
      const Zs = lj.Z.map((z) => z[0] as number);
      const K = new Matrix(Zs.map((a) => Zs.map((b) => k(a, b))));
      for (let i = 0; i < m; i++) K.set(i, i, K.get(i, i) + json.jitter * lj.variance);
      const Kinv = inverse(K);
      // whitened q(v) → q(u) = N(L_K m, L_K S L_Kᵀ)
      const LK = new CholeskyDecomposition(K).lowerTriangularMatrix;
      const Lq = LK.mmul(new Matrix(lj.qSqrt[0] as number[][]));
      const Sq = Lq.mmul(Lq.transpose());
      const mu = LK.mmul(Matrix.columnVector(lj.qMu.map((v) => v[0] as number)));
      // per-draw arithmetic on plain arrays (the matrices above are from ml-matrix)
      const Ki = Kinv.to2DArray();
      const Sa = Sq.to2DArray();
      const mua = mu.to1DArray();
      const w = lj.meanFunction ? (lj.meanFunction[0]?.[0] as number) : 0;
      const ka = new Float64Array(m);
      const al = new Float64Array(m);
      return (a: number) => {
        for (let p = 0; p < m; p++) ka[p] = k(Zs[p] as number, a);
        let mean = w * a;
        let q = 0;
        for (let p = 0; p < m; p++) {
          let v = 0;
          for (let r = 0; r < m; r++) v += (Ki[p]?.[r] as number) * (ka[r] as number);
          al[p] = v;
          mean += v * (mua[p] as number);
          q += v * (ka[p] as number);
        }
        let s = 0;
        for (let p = 0; p < m; p++) for (let r = 0; r < m; r++) s += (al[p] as number) * (Sa[p]?.[r] as number) * (al[r] as number);
        return [mean, k(a, a) - q + s] as const;
      };
    };
    const l1 = refLayer(json.layers[0] as never);
    const l2 = refLayer(json.layers[1] as never);
    const xs = [-1.2, 0.1, 1.7];
    const S = 4000;
    const pred = model.predict(xs, { samples: S, seed: 5 });
    const rr = createRng(99);
    const R = 200_000;
    xs.forEach((x, i) => {
      const [m1, v1] = l1(x);
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let s4 = 0;
      const mus = new Float64Array(R);
      const vs = new Float64Array(R);
      for (let t = 0; t < R; t++) {
        const f1 = m1 + Math.sqrt(Math.max(v1, 0) + 1e-8) * rr.normal();
        const [m2, v2] = l2(f1);
        mus[t] = m2;
        vs[t] = v2;
        s1 += m2;
      }
      const mean = s1 / R;
      for (let t = 0; t < R; t++) {
        s2 += (mus[t] as number - mean) ** 2;
      }
      const varMu = s2 / R;
      let ev = 0;
      for (let t = 0; t < R; t++) ev += vs[t] as number;
      ev /= R;
      const total = ev + varMu; // mixture variance
      // SE of the model's S-sample estimates (the reference's own error is ~15× smaller and added in quadrature)
      for (let t = 0; t < R; t++) {
        const q = (vs[t] as number) + ((mus[t] as number) - mean) ** 2 - total;
        s3 += q * q;
        s4 += ((mus[t] as number) - mean) ** 2;
      }
      const seMean = Math.sqrt((s4 / R) * (1 / S + 1 / R));
      const seVar = Math.sqrt((s3 / R) * (1 / S + 1 / R));
      const yStd = json.yStd;
      console.info(`x = ${x}: mean z = ${(((pred.mean[i] as number) - (mean * yStd + json.yMean)) / (seMean * yStd)).toFixed(2)}, variance z = ${(((pred.variance[i] as number) - total * yStd * yStd) / (seVar * yStd * yStd)).toFixed(2)}`);
      expect(Math.abs((pred.mean[i] as number) - (mean * yStd + json.yMean))).toBeLessThan(4 * seMean * yStd);
      expect(Math.abs((pred.variance[i] as number) - total * yStd * yStd)).toBeLessThan(4 * seVar * yStd * yStd);
    });
  });
});

describe('fitDeepGP', () => {
  const opts = { layers: 2, inducing: 8, batchSize: 20, epochs: 6, samples: 2, learningRate: 0.02, seed: 3 } as const;

  test('seeded runs are identical (sync and async); another seed differs', async () => {
    const a = fitDeepGP(Xr, y, opts);
    const b = fitDeepGP(Xr, y, opts);
    const c = await fitDeepGPAsync(Xr, y, opts);
    const strip = (m: DeepGPModel) => JSON.stringify({ ...m.toJSON(), report: { ...m.report, elapsedMs: 0 } });
    expect(strip(b)).toBe(strip(a));
    expect(strip(c)).toBe(strip(a));
    expect(strip(fitDeepGP(Xr, y, { ...opts, seed: 4 }))).not.toBe(strip(a));
    expect(a.report.iterations).toBe(18);
    expect(a.report.reason).toBe('completed');
  });

  test('JSON round trip is exact (fields, predictions, densities, bound)', () => {
    const a = fitDeepGP(Xr, y, { ...opts, layers: 3, epochs: 2 });
    const j = JSON.parse(JSON.stringify(a.toJSON()));
    const b = DeepGPModel.fromJSON(j);
    expect(b.toJSON()).toEqual(a.toJSON());
    const Xs = Xr.slice(0, 7);
    expect(Array.from(b.predict(Xs, { samples: 20, seed: 2 }).mean)).toEqual(Array.from(a.predict(Xs, { samples: 20, seed: 2 }).mean));
    expect(Array.from(b.logPredictiveDensity(Xs, y.slice(0, 7))).join()).toBe(Array.from(a.logPredictiveDensity(Xs, y.slice(0, 7))).join());
    expect(b.elbo(Xr, y, { samples: 3 })).toBe(a.elbo(Xr, y, { samples: 3 }));
    expect(b.depth).toBe(3);
    expect(b.widths).toEqual([2, 2, 1]);
  });

  test('training raises the bound on a step function; 2 layers beat 1 in held-out log density', () => {
    // y = step(x) + small noise: one stationary GP must smooth the jump, a 2-layer model can warp it
    const r = createRng(12);
    const xs = Array.from({ length: 120 }, () => 2 * r.uniform() - 1);
    const ys = xs.map((x) => (x > 0 ? 1 : -1) + 0.05 * r.normal());
    const xt = Array.from({ length: 200 }, (_, i) => -1 + (2 * (i + 0.5)) / 200);
    const yt = xt.map((x) => (x > 0 ? 1 : -1));
    const base = { inducing: 15, epochs: 200, learningRate: 0.03, seed: 1, samples: 1 };
    const one = fitDeepGP(xs, ys, { ...base, layers: 1 });
    const two = fitDeepGP(xs, ys, { ...base, layers: 2 });
    const tr = two.report.trace as readonly number[];
    expect(tr[tr.length - 1] as number).toBeLessThan(tr[0] as number);
    const mean = (v: ArrayLike<number>) => Array.from(v).reduce((s, x) => s + x, 0) / v.length;
    const l1 = mean(one.logPredictiveDensity(xt, yt, { samples: 50 }));
    const l2 = mean(two.logPredictiveDensity(xt, yt, { samples: 50 }));
    expect(l2).toBeGreaterThan(l1);
  }, 20_000);

  test('mean functions: identity, top principal directions when the width shrinks, padded identity when it grows; Z propagated', () => {
    const r = createRng(5);
    // 3-D inputs along a dominant direction u plus small noise: the 1-wide hidden layer's W is ±u
    const u = [2 / 3, -2 / 3, 1 / 3];
    const X3 = Array.from({ length: 80 }, () => {
      const t = 2 * r.normal();
      return u.map((c) => c * t + 0.05 * r.normal());
    });
    const y3 = X3.map((row) => Math.sin(row[0] as number));
    const shrink = fitDeepGP(X3, y3, { layers: 2, hiddenDims: 1, inducing: 6, epochs: 1, seed: 1 }).toJSON();
    const W = ((shrink.layers[0] as { meanFunction: number[][] }).meanFunction).map((row) => row[0] as number);
    expect(Math.abs(W.reduce((a, w, j) => a + w * (u[j] as number), 0))).toBeGreaterThan(0.999);
    // the next layer's inducing inputs start as the first layer's times W (kept there with learnInducing: false)
    const still = fitDeepGP(X3, y3, { layers: 2, hiddenDims: 1, inducing: 6, epochs: 1, learningRate: 1e-12, learnInducing: false, seed: 1 }).toJSON();
    const Z1 = still.layers[0]?.Z as number[][];
    const Z2 = still.layers[1]?.Z as number[][];
    const W1 = ((still.layers[0] as { meanFunction: number[][] }).meanFunction).map((row) => row[0] as number);
    let worstZ = 0;
    Z1.forEach((z, i) => {
      worstZ = Math.max(worstZ, Math.abs(z.reduce((a, v, j) => a + v * (W1[j] as number), 0) - (Z2[i]?.[0] as number)));
    });
    expect(worstZ).toBeLessThan(1e-12);
    const same = fitDeepGP(X3, y3, { layers: 2, inducing: 6, epochs: 1, seed: 1 }).toJSON();
    expect(same.layers[0]?.meanFunction).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    const grow = fitDeepGP(X3.map((row) => [row[0] as number]), y3, { layers: 3, hiddenDims: 3, inducing: 6, epochs: 1, seed: 1 }).toJSON();
    expect(grow.layers[0]?.meanFunction).toEqual([[1, 0, 0]]);
    expect(grow.layers[1]?.meanFunction).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(grow.layers[2]?.meanFunction).toBeNull();
  });
});
