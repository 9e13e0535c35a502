// SVGP proofs: one natural-gradient step with γ = 1 on the full data lands on the optimal q(u), whose ELBO is
// Titsias' collapsed bound; every other q(u) has a lower ELBO; seeded minibatch steps approach the bound.
import { createRng, sampleNormalArray } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { constant, product, rbf } from '../kernels/index.js';
import type { Points } from '../kernels/points.js';
import { sgprBound } from './sgpr.js';
import { type SVGPState, svgpElbo, svgpNaturalStep, svgpPrior } from './svgp.js';

const rng = createRng(21);
const n = 60;
const X: Points = { data: Float64Array.from({ length: 2 * n }, () => 4 * rng.uniform()), n, d: 2 };
const e = sampleNormalArray(rng, n, 0, 0.1);
const y = Float64Array.from({ length: n }, (_, i) => Math.sin(X.data[2 * i] as number) * Math.cos(X.data[2 * i + 1] as number) + (e[i] as number));
const Z: Points = { data: Float64Array.from({ length: 2 * 9 }, () => 4 * rng.uniform()), n: 9, d: 2 };
const kernel = product(constant(0.9), rbf({ lengthScale: [0.8, 1.2] }));
const noise = 0.04;
const jitter = 1e-8;
const all = Array.from({ length: n }, (_, i) => i);
const bound = sgprBound(kernel, X, y, Z, noise, jitter, 16, false).value;

describe('SVGP natural gradients (Hensman et al. 2013)', () => {
  test('from the prior, one step with γ = 1 on the full data gives ELBO = the collapsed SGPR bound (1e-9 relative)', () => {
    const q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, svgpPrior(kernel, Z, jitter), all, 1);
    expect(Math.abs(svgpElbo(kernel, Z, X, y, noise, jitter, q) - bound) / Math.abs(bound)).toBeLessThan(1e-9);
  });

  test('from an arbitrary q(u), the γ = 1 step lands on the same optimum; every other q has a lower ELBO', () => {
    const r = createRng(3);
    let q: SVGPState = svgpPrior(kernel, Z, jitter);
    for (let t = 0; t < 5; t++) {
      const idx = Array.from({ length: 7 }, () => Math.floor(r.uniform() * n));
      q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, idx, 0.7);
      expect(svgpElbo(kernel, Z, X, y, noise, jitter, q)).toBeLessThan(bound);
    }
    const opt = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, all, 1);
    expect(Math.abs(svgpElbo(kernel, Z, X, y, noise, jitter, opt) - bound) / Math.abs(bound)).toBeLessThan(1e-9);
  });

  test('seeded minibatch natural-gradient steps (γ = 0.1, batches of 10) approach the bound', () => {
    const r = createRng(5);
    let q: SVGPState = svgpPrior(kernel, Z, jitter);
    const start = svgpElbo(kernel, Z, X, y, noise, jitter, q);
    for (let t = 0; t < 150; t++) {
      const idx = Array.from({ length: 10 }, () => Math.floor(r.uniform() * n));
      q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, idx, 0.1);
    }
    const end = svgpElbo(kernel, Z, X, y, noise, jitter, q);
    expect(end).toBeLessThan(bound);
    expect(bound - end).toBeLessThan(0.05 * (bound - start));
  });
});

describe('SVGP minibatch objective', () => {
  test('full-batch value = svgpElbo; gradient in θ and log σ² = central differences (minibatch of 13 rows)', async () => {
    const { svgpBatchObjective } = await import('./svgp.js');
    const r = createRng(8);
    let q: SVGPState = svgpPrior(kernel, Z, jitter);
    for (let t = 0; t < 3; t++) q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, Array.from({ length: 9 }, () => Math.floor(r.uniform() * n)), 0.5);
    const full = svgpBatchObjective(kernel, Z, X, y, noise, jitter, q, all).value;
    expect(Math.abs(full - svgpElbo(kernel, Z, X, y, noise, jitter, q)) / Math.abs(full)).toBeLessThan(1e-10);
    const idx = Array.from({ length: 13 }, (_, i) => (i * 7) % n);
    const g = svgpBatchObjective(kernel, Z, X, y, noise, jitter, q, idx).gradient;
    const theta = kernel.theta;
    const h = 1e-5;
    for (let k = 0; k <= theta.length; k++) {
      const at = (d: number) => {
        if (k < theta.length) {
          const t = theta.slice();
          t[k] = (t[k] as number) + d;
          return svgpBatchObjective(kernel.withTheta(t), Z, X, y, noise, jitter, q, idx).value;
        }
        return svgpBatchObjective(kernel, Z, X, y, noise * Math.exp(d), jitter, q, idx).value;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs((g[k] as number) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });

  test('minibatch ELBO gradient in the inducing inputs Z = central differences (every z_{a,t}, q(u) fixed)', async () => {
    const { svgpBatchObjective } = await import('./svgp.js');
    const r = createRng(9);
    let q: SVGPState = svgpPrior(kernel, Z, jitter);
    for (let t = 0; t < 3; t++) q = svgpNaturalStep(kernel, Z, X, y, noise, jitter, q, Array.from({ length: 9 }, () => Math.floor(r.uniform() * n)), 0.5);
    const idx = Array.from({ length: 13 }, (_, i) => (i * 5) % n);
    const g = svgpBatchObjective(kernel, Z, X, y, noise, jitter, q, idx, true).gradient;
    const nT = kernel.nTheta;
    expect(g.length).toBe(nT + 1 + Z.n * Z.d);
    const h = 1e-5;
    for (let i = 0; i < Z.n * Z.d; i++) {
      const at = (delta: number) => {
        const data = Z.data.slice();
        data[i] = (data[i] as number) + delta;
        return svgpBatchObjective(kernel, { ...Z, data }, X, y, noise, jitter, q, idx).value;
      };
      const fd = (at(h) - at(-h)) / (2 * h);
      expect(Math.abs((g[nT + 1 + i] as number) - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });
});

describe('fitSVGP', () => {
  const Xr = Array.from({ length: n }, (_, i) => [X.data[2 * i] as number, X.data[2 * i + 1] as number]);
  test('with fixed hyperparameters, full batches and γ = 1 it predicts like SGPR at the same Z (1e-8)', async () => {
    const { fitSVGP, fitSGPR } = await import('./index.js');
    const Zr = Array.from({ length: Z.n }, (_, i) => [Z.data[2 * i] as number, Z.data[2 * i + 1] as number]);
    const sv = fitSVGP(Xr, y, { kernel, noise, inducing: Zr, batchSize: n, epochs: 1, gamma: 1, optimize: false });
    const sg = fitSGPR(Xr, y, { kernel, noise, inducing: Zr, optimize: false });
    const Xs = [[0.2, 3.1], [2, 2], [3.7, 0.4]];
    const a = sv.predict(Xs);
    const b = sg.predict(Xs);
    for (let i = 0; i < 3; i++) {
      expect(Math.abs((a.mean[i] as number) - (b.mean[i] as number))).toBeLessThan(1e-8);
      expect(Math.abs((a.variance[i] as number) - (b.variance[i] as number))).toBeLessThan(1e-8);
    }
  });

  test('minibatch training raises the ELBO and ends near the SGPR fit; seeded runs are identical', async () => {
    const { fitSVGP, fitSGPR } = await import('./index.js');
    const k0 = product(constant(1), rbf({ lengthScale: [1, 1] }));
    const opts = { kernel: k0, inducing: 9, batchSize: 15, epochs: 40, gamma: 0.2, learningRate: 0.05, seed: 2 };
    const a = fitSVGP(Xr, y, opts);
    const b = fitSVGP(Xr, y, opts);
    expect(Array.from(b.qMean)).toEqual(Array.from(a.qMean));
    const tr = a.report.trace as readonly number[];
    const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    expect(mean(tr.slice(-20))).toBeLessThan(mean(tr.slice(0, 4)));
    const sg = fitSGPR(Xr, y, { kernel: k0, inducing: 9, seed: 2 });
    const Xs = Xr.slice(0, 20);
    const pa = a.predict(Xs);
    const pb = sg.predict(Xs);
    let d = 0;
    for (let i = 0; i < 20; i++) d = Math.max(d, Math.abs((pa.mean[i] as number) - (pb.mean[i] as number)));
    expect(d).toBeLessThan(0.15);
  });

  test('optimizeInducing: Z moves with Adam, the full-data ELBO at the end is at least that with fixed Z; seeded runs identical', async () => {
    const { fitSVGP } = await import('./index.js');
    const { svgpElbo } = await import('./svgp.js');
    const k0 = product(constant(1), rbf({ lengthScale: [1, 1] }));
    const opts = { kernel: k0, inducing: 6, batchSize: 20, epochs: 30, gamma: 0.3, learningRate: 0.03, seed: 5 };
    const fixed = fitSVGP(Xr, y, opts);
    const moved = fitSVGP(Xr, y, { ...opts, optimizeInducing: true });
    const again = fitSVGP(Xr, y, { ...opts, optimizeInducing: true });
    expect(Array.from(again.inducing)).toEqual(Array.from(moved.inducing));
    expect(Array.from(moved.inducing)).not.toEqual(Array.from(fixed.inducing));
    const elbo = (mdl: typeof fixed) => {
      const json = mdl.toJSON();
      const Zm = { data: mdl.inducing, n: 6, d: 2 };
      return svgpElbo(mdl.kernel, Zm, X, y, mdl.noise, json.jitter, { m: 6, lambda: Float64Array.from(json.lambda.flat()), h: Float64Array.from(json.h) });
    };
    expect(elbo(moved)).toBeGreaterThanOrEqual(elbo(fixed));
  });
});
