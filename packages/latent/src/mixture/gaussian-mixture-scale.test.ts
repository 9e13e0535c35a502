import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { fitGaussianMixture } from './gaussian-mixture.js';
import { GaussianMixtureModel } from './gaussian-mixture-model.js';
import type { CovarianceType } from './gaussian-params.js';

const TYPES: CovarianceType[] = ['full', 'diag', 'spherical', 'tied'];

/** n points per cluster, clusters at ±sep/2 on every axis (d = 2), unit spread (×(1 + k/2) in axis 0). */
function twoClusters(n: number, sep: number, seed: number): number[][] {
  const r = createRng(seed);
  return Array.from({ length: 2 * n }, (_, i) => {
    const k = i % 2;
    const c = (k === 0 ? -0.5 : 0.5) * sep;
    return [c + r.normal() * (1 + k / 2), c + r.normal()];
  });
}

/** Sample moments of each true cluster (the MLE the fit must reach when the clusters are separated). */
function clusterMoments(X: number[][]) {
  return [0, 1].map((k) => {
    const rows = X.filter((_, i) => i % 2 === k);
    const m = [0, 1].map((j) => rows.reduce((s, r) => s + (r[j] as number), 0) / rows.length);
    const v = [0, 1].map((j) => rows.reduce((s, r) => s + ((r[j] as number) - (m[j] as number)) ** 2, 0) / rows.length);
    return { m, v };
  });
}

describe('Gaussian mixture: far-apart clusters (moments about each component’s previous mean)', () => {
  test.each(TYPES)('%s: two clusters 1e8 apart with unit spread are fitted to the per-cluster MLE', (covariance) => {
    const X = twoClusters(200, 1e8, 3);
    const gm = fitGaussianMixture(X, { components: 2, covariance, seed: 1, tol: 1e-10, maxIterations: 50 });
    const truth = clusterMoments(X);
    const labels = gm.predict(X);
    for (let i = 2; i < X.length; i++) expect(labels[i]).toBe(labels[i % 2]);
    expect(labels[0]).not.toBe(labels[1]);
    const cov = gm.covariances;
    for (let t = 0; t < 2; t++) {
      const k = labels[t] as number;
      const want = truth[t] as { m: number[]; v: number[] };
      for (let j = 0; j < 2; j++) {
        // the data themselves carry ~1e-8 absolute rounding (ulp of 5e7 is 7.5e-9)
        expect(Math.abs(gm.means.get(k, j) - (want.m[j] as number))).toBeLessThan(1e-6);
      }
      // the MLE plus the regularisation on the diagonal
      const v = [(cov[k]?.get(0, 0) as number) - gm.regularization, (cov[k]?.get(1, 1) as number) - gm.regularization];
      if (covariance === 'full' || covariance === 'diag') {
        for (let j = 0; j < 2; j++) expect(Math.abs((v[j] as number) / (want.v[j] as number) - 1)).toBeLessThan(1e-6);
      } else if (covariance === 'spherical') {
        const avg = ((want.v[0] as number) + (want.v[1] as number)) / 2;
        expect(Math.abs((v[0] as number) / avg - 1)).toBeLessThan(1e-6);
      } else {
        // tied: the pooled within-cluster variance
        const pooled = ((truth[0]?.v[0] as number) + (truth[1]?.v[0] as number)) / 2;
        expect(Math.abs((v[0] as number) / pooled - 1)).toBeLessThan(1e-6);
      }
    }
  });
});

describe('Gaussian mixture: data at 1e-150 and 1e150 fit as well as unit-scale data (regCovar relative to the scale)', () => {
  test.each(TYPES.flatMap((t) => [[t, 1e-150], [t, 1e150]] as const))('%s ×%s', (covariance, c) => {
    const X = twoClusters(150, 6, 8);
    const unit = fitGaussianMixture(X, { components: 2, covariance, seed: 2, tol: 1e-9 });
    const small = fitGaussianMixture(
      X.map((r) => r.map((v) => v * c)),
      { components: 2, covariance, seed: 2, tol: 1e-9 },
    );
    expect(Array.from(small.predict(X.map((r) => r.map((v) => v * c))))).toEqual(Array.from(unit.predict(X)));
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    for (let k = 0; k < 2; k++) {
      expect(rel(small.weights[k] as number, unit.weights[k] as number)).toBeLessThan(1e-8);
      for (let j = 0; j < 2; j++) expect(Math.abs(small.means.get(k, j) / c - unit.means.get(k, j))).toBeLessThan(1e-8);
    }
    const a = small.covarianceData;
    const b = unit.covarianceData;
    for (let t = 0; t < a.length; t++) expect(Math.abs((a[t] as number) / (c * c) - (b[t] as number))).toBeLessThan(1e-8 * Math.max(...b.map(Math.abs)));
    // log-likelihood per sample shifts by −d log c
    expect(Math.abs(small.lowerBound + 2 * Math.log(c) - unit.lowerBound)).toBeLessThan(1e-7 * Math.abs(2 * Math.log(c)));
    expect(small.regularization / (c * c)).toBeCloseTo(unit.regularization, 12);
  });
});

describe('GaussianMixtureModel.fromJSON validates every field', () => {
  const X = twoClusters(50, 6, 1);
  const json = () => JSON.parse(JSON.stringify(fitGaussianMixture(X, { components: 2, seed: 1 }).toJSON()));
  test.each([
    ['negative weight', (j: Record<string, unknown>) => Object.assign(j, { weights: [-0.5, 1.5] })],
    ['weights not summing to 1', (j: Record<string, unknown>) => Object.assign(j, { weights: [0.2, 0.2] })],
    ['null mean', (j: Record<string, unknown>) => Object.assign(j, { means: [null, 1, 2, 3] })],
    ['short means', (j: Record<string, unknown>) => Object.assign(j, { means: [1, 2, 3] })],
    ['non-PD covariance', (j: Record<string, unknown>) => Object.assign(j, { covariances: [1, 2, 2, 1, 1, 0, 0, 1] })],
    ['non-symmetric covariance', (j: Record<string, unknown>) => Object.assign(j, { covariances: [1, 0.5, 0, 1, 1, 0, 0, 1] })],
    ['NaN-like string', (j: Record<string, unknown>) => Object.assign(j, { lowerBound: 'x' })],
    ['components out of range', (j: Record<string, unknown>) => Object.assign(j, { components: 0 })],
    ['unknown covariance type', (j: Record<string, unknown>) => Object.assign(j, { covarianceType: 'banana' })],
    ['negative reseed count', (j: Record<string, unknown>) => Object.assign(j, { emptyComponentsReseeded: -1 })],
    ['bad report', (j: Record<string, unknown>) => Object.assign(j, { report: { converged: 'yes' } })],
    ['missing report', (j: Record<string, unknown>) => Object.assign(j, { report: undefined })],
  ])('%s is rejected with a typed error', (_name, tamper) => {
    const j = tamper(json());
    expect(() => GaussianMixtureModel.fromJSON(j as never)).toThrow(expect.objectContaining({ code: expect.stringMatching(/domain|shape|non-finite|not-positive-definite/) }));
  });

  test('diag/spherical: a zero or negative variance is rejected', () => {
    for (const covariance of ['diag', 'spherical'] as const) {
      const j = JSON.parse(JSON.stringify(fitGaussianMixture(X, { components: 2, covariance, seed: 1 }).toJSON()));
      j.covariances[0] = 0;
      expect(() => GaussianMixtureModel.fromJSON(j)).toThrow(expect.objectContaining({ code: 'domain' }));
      j.covariances[0] = -1;
      expect(() => GaussianMixtureModel.fromJSON(j)).toThrow(expect.objectContaining({ code: 'domain' }));
    }
  });
});
