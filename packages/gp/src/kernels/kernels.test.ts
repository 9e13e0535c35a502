import { DomainError, createRng, sampleNormalArray } from '@notes/core-linalg';
import fc from 'fast-check';
import { EigenvalueDecomposition, type Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import {
  type Kernel,
  arcsine,
  constant,
  kernelFromJSON,
  linear,
  matern,
  periodic,
  product,
  rationalQuadratic,
  rbf,
  samplePrior,
  scale,
  sum,
  white,
} from './index.js';

const kernels: [string, Kernel][] = [
  ['rbf', rbf({ lengthScale: 0.7 })],
  ['rbf ARD', rbf({ lengthScale: [0.5, 2, 1.3] })],
  ['matern 1/2', matern({ nu: 0.5, lengthScale: [0.8, 1.5, 1] })],
  ['matern 3/2', matern({ nu: 1.5, lengthScale: 1.2 })],
  ['matern 5/2', matern({ nu: 2.5, lengthScale: [0.6, 1, 2] })],
  ['rational quadratic', rationalQuadratic({ lengthScale: 0.9, alpha: 0.7 })],
  ['periodic', periodic({ lengthScale: 1.1, periodicity: 1.7 })],
  ['linear', linear({ sigma0: 0.6 })],
  ['constant', constant(2.5)],
  ['white', white(0.3)],
  ['arcsine', arcsine({ weightVariance: 1.5, biasVariance: 0.4 })],
  ['arcsine (notes form, no bias)', arcsine({ weightVariance: 2, bias: false })],
  ['sum', sum(scale(rbf({ lengthScale: 0.5 }), 1.7), white(0.1), linear())],
  ['product', product(rbf({ lengthScale: 2 }), periodic({ periodicity: 0.9 }), constant(0.8))],
  [
    'Mauna Loa composite',
    sum(
      scale(rbf({ lengthScale: 50 }), 2500),
      scale(product(rbf({ lengthScale: 100 }), periodic({ periodicity: 1, periodicityBounds: 'fixed' })), 4),
      scale(rationalQuadratic({ lengthScale: 1, alpha: 1 }), 0.25),
      scale(rbf({ lengthScale: 0.1 }), 0.01),
      white(0.01),
    ),
  ],
];

function randomX(seed: number, n: number, d: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from(sampleNormalArray(rng, d)));
}

function minEig(K: Matrix): number {
  const e = new EigenvalueDecomposition(K, { assumeSymmetric: true });
  return Math.min(...e.realEigenvalues);
}

describe('Gaussian Process: covariance functions are PSD', () => {
  test.each(kernels)('%s: K(X,X) symmetric PSD on random inputs (property)', (_name, k) => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 2, max: 12 }), (seed, n) => {
        const K = k.matrix(randomX(seed, n, 3));
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(K.get(i, j)).toBe(K.get(j, i));
        const tr = K.trace();
        expect(minEig(K)).toBeGreaterThan(-1e-10 * Math.max(1, tr));
      }),
      { numRuns: 25 },
    );
  });

  test.each(kernels)('%s: diag(X) equals the diagonal of K(X,X) and K(X,Y) agrees with K(X,X) blocks', (name, k) => {
    const X = randomX(3, 6, 3);
    const K = k.matrix(X);
    const d = k.diag(X);
    for (let i = 0; i < 6; i++) expect(d[i]).toBeCloseTo(K.get(i, i), 12);
    const C = k.matrix(X.slice(0, 3), X.slice(3));
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        // white noise is 0 on cross-covariances (scikit-learn convention); off-diagonal blocks agree
        expect(C.get(i, j)).toBeCloseTo(K.get(i, 3 + j), 12);
      }
    }
    expect(name.length).toBeGreaterThan(0);
  });
});

describe('Gaussian Process: hyperparameter gradients (finite differences in log space)', () => {
  test.each(kernels)('%s: dK/dθ matches central differences', (_name, k) => {
    const X = randomX(11, 7, 3);
    const grads = k.gradient(X);
    const theta = k.theta;
    expect(grads.length).toBe(theta.length);
    const h = 1e-5;
    for (let q = 0; q < theta.length; q++) {
      const tp = theta.slice();
      const tm = theta.slice();
      tp[q] += h;
      tm[q] -= h;
      const Kp = k.withTheta(tp).matrix(X);
      const Km = k.withTheta(tm).matrix(X);
      const scaleK = Math.max(1, Kp.max());
      for (let i = 0; i < 7; i++) {
        for (let j = 0; j < 7; j++) {
          const fd = (Kp.get(i, j) - Km.get(i, j)) / (2 * h);
          expect(Math.abs(fd - grads[q].get(i, j))).toBeLessThan(1e-6 * scaleK);
        }
      }
    }
  });
});

describe('Gaussian Process: closed forms, log-space parameters, JSON', () => {
  test('RBF, Matérn and RQ at known distances', () => {
    const X = [[0], [1]];
    expect(rbf({ lengthScale: 2 }).matrix(X).get(0, 1)).toBeCloseTo(Math.exp(-1 / 8), 15);
    expect(matern({ nu: 0.5 }).matrix(X).get(0, 1)).toBeCloseTo(Math.exp(-1), 15);
    const s3 = Math.sqrt(3);
    expect(matern({ nu: 1.5 }).matrix(X).get(0, 1)).toBeCloseTo((1 + s3) * Math.exp(-s3), 15);
    const s5 = Math.sqrt(5);
    expect(matern({ nu: 2.5 }).matrix(X).get(0, 1)).toBeCloseTo((1 + s5 + 5 / 3) * Math.exp(-s5), 15);
    expect(rationalQuadratic({ alpha: 2 }).matrix(X).get(0, 1)).toBeCloseTo((1 + 1 / 4) ** -2, 15);
    expect(periodic({ periodicity: 4 }).matrix(X).get(0, 1)).toBeCloseTo(Math.exp(-2 * Math.sin(Math.PI / 4) ** 2), 15);
    const u = (2 * (1 + 2 * 0.5)) / Math.sqrt((1 + 2) * (1 + 2 * (1 + 1)));
    expect(arcsine({ weightVariance: 1, biasVariance: 1 }).matrix([[0]], [[1]]).get(0, 0)).toBeCloseTo(
      (2 / Math.PI) * Math.asin(2 / Math.sqrt(3 * 5)),
      15,
    );
    expect(u).toBeGreaterThan(0);
  });

  test('theta is log of the free hyperparameters; bounds are log bounds; fixed ones excluded', () => {
    const k = sum(scale(rbf({ lengthScale: [2, 3] }), 4), periodic({ periodicity: 1, periodicityBounds: 'fixed' }));
    expect(Array.from(k.theta)).toEqual([Math.log(4), Math.log(2), Math.log(3), Math.log(1)]);
    expect(k.thetaNames).toEqual(['k1.k1.value', 'k1.k2.lengthScale[0]', 'k1.k2.lengthScale[1]', 'k2.lengthScale']);
    expect(k.bounds.lower[0]).toBeCloseTo(Math.log(1e-5), 14);
    const k2 = k.withTheta([0, 0, 0, 0]);
    expect(k2.matrix([[0, 0]]).get(0, 0)).toBeCloseTo(2, 14);
    expect(k.matrix([[0, 0]]).get(0, 0)).toBeCloseTo(5, 14); // original unchanged
  });

  test.each(kernels)('%s: toJSON/kernelFromJSON round-trips exactly', (_n, k) => {
    const back = kernelFromJSON(JSON.parse(JSON.stringify(k.toJSON())));
    const X = randomX(5, 5, 3);
    expect(back.matrix(X).to2DArray()).toEqual(k.matrix(X).to2DArray());
    expect(Array.from(back.theta)).toEqual(Array.from(k.theta));
  });

  test('bad hyperparameters and shapes throw typed errors', () => {
    expect(() => rbf({ lengthScale: 0 })).toThrow(DomainError);
    expect(() => rbf({ lengthScale: -1 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => white(Number.NaN)).toThrow(DomainError);
    expect(() => rbf({ lengthScaleBounds: [1, 0.5] })).toThrow(DomainError);
    expect(() => matern({ nu: 1 as 0.5 })).toThrow(DomainError);
    expect(() => rbf({ lengthScale: [1, 2] }).matrix([[1, 2, 3]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => rbf().matrix([[1], [Number.NaN]])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => rbf().matrix([[1, 2], [3]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => rbf().matrix([[1, 2]], [[1]])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => rbf().withTheta([1, 2])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => sum(rbf())).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => kernelFromJSON({ kind: 'nope', params: {} })).toThrow(DomainError);
  });
});

describe('Gaussian Process: prior samples', () => {
  test('sample covariance of samplePrior matches K (seeded, 4 standard errors)', () => {
    const X = [[0], [0.3], [1.5]];
    const k = scale(rbf({ lengthScale: 0.8 }), 2);
    const N = 4000;
    const { samples, jitter } = samplePrior(k, X, { seed: 7, n: N });
    expect(jitter).toBe(0);
    const K = k.matrix(X);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let s = 0;
        for (let r = 0; r < N; r++) s += samples.get(r, i) * samples.get(r, j);
        const est = s / N;
        const se = Math.sqrt((K.get(i, i) * K.get(j, j) + K.get(i, j) ** 2) / N);
        expect(Math.abs(est - K.get(i, j))).toBeLessThan(4 * se);
      }
    }
    const again = samplePrior(k, X, { seed: 7, n: 2 }).samples;
    expect(again.getRow(1)).toEqual(samples.getRow(1));
  });
});
