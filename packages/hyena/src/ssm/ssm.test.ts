import { createRng, sampleNormalArray } from '@notes/core-linalg';
import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { continuousSSM, diagonalSSM, discreteSSM, discretize, expm, hippoLegS, ssmConvolve, ssmKernel, ssmScan } from './index.js';

const maxAbs = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

describe('State-Space model: discretisation against closed forms', () => {
  test('expm of a rotation generator is the rotation; of a diagonal, the exponentials', () => {
    const theta = 2.3;
    const R = expm(new Matrix([[0, -theta], [theta, 0]]));
    expect(R.get(0, 0)).toBeCloseTo(Math.cos(theta), 13);
    expect(R.get(1, 0)).toBeCloseTo(Math.sin(theta), 13);
    const E = expm(Matrix.diag([-3, 0.5, 7]));
    expect(Math.abs(E.get(2, 2) / Math.exp(7) - 1)).toBeLessThan(1e-13);
    expect(E.get(0, 0)).toBeCloseTo(Math.exp(-3), 14);
  });

  test.each([
    [-0.7, 0.1, 1.3],
    [-5, 0.01, -2],
    [0.4, 0.2, 1], // unstable scalar: formulas still hold
  ])('scalar a=%d, dt=%d, b=%d: ZOH and bilinear', (a, dt, b) => {
    const c = continuousSSM({ A: [[a]], B: [b], C: [1] });
    const zoh = discretize(c, { dt });
    expect(zoh.A.get(0, 0)).toBeCloseTo(Math.exp(a * dt), 14);
    expect(zoh.B[0]).toBeCloseTo(((Math.exp(a * dt) - 1) / a) * b, 13);
    const bil = discretize(c, { dt, method: 'bilinear' });
    expect(bil.A.get(0, 0)).toBeCloseTo((1 + (a * dt) / 2) / (1 - (a * dt) / 2), 14);
    expect(bil.B[0]).toBeCloseTo((dt * b) / (1 - (a * dt) / 2), 14);
  });

  test('diagonal system discretises entry by entry; ZOH handles a singular A (a = 0 gives B̄ = ΔB)', () => {
    const a = [-1, -2.5, 0];
    const c = continuousSSM({ A: Matrix.diag(a), B: [1, 2, 3], C: [1, 1, 1] });
    const zoh = discretize(c, { dt: 0.3 });
    a.forEach((ai, i) => {
      expect(zoh.A.get(i, i)).toBeCloseTo(Math.exp(ai * 0.3), 14);
      const bi = [1, 2, 3][i] as number;
      const want = ai === 0 ? 0.3 * bi : ((Math.exp(ai * 0.3) - 1) / ai) * bi;
      expect(zoh.B[i]).toBeCloseTo(want, 13);
    });
  });
});

describe('State-Space model: the recurrent scan equals convolution with the kernel h_t = C Āᵗ B̄ + D δ_t', () => {
  test('scalar kernel is c·āᵗ·b̄ (+ D at t = 0)', () => {
    const d = discreteSSM({ A: [[0.9]], B: [2], C: [0.5], D: 0.25 });
    const h = ssmKernel(d, 6);
    for (let t = 0; t < 6; t++) expect(h[t]).toBeCloseTo(0.5 * 0.9 ** t * 2 + (t === 0 ? 0.25 : 0), 14);
  });

  test('HiPPO-LegS and diagonal SSMs: scan = FFT convolution = direct sum (property test)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 300 }), fc.nat(), fc.boolean(), (n, L, seed, hippo) => {
        const rng = createRng(seed);
        const cont = hippo ? hippoLegS(n, { D: 0.3 }) : diagonalSSM(n, { C: sampleNormalArray(rng, n), D: -0.1 });
        const d = discretize(cont, { dt: 1 / Math.max(L, 2), method: hippo ? 'bilinear' : 'zoh' });
        const u = sampleNormalArray(rng, L);
        const scan = ssmScan(d, u);
        const conv = ssmConvolve(d, u);
        const h = ssmKernel(d, L);
        const direct = Float64Array.from({ length: L }, (_, t) => {
          let s = 0;
          for (let k = 0; k <= t; k++) s += (h[t - k] as number) * (u[k] as number);
          return s;
        });
        const scale = Math.max(1, ...Array.from(scan, Math.abs));
        expect(maxAbs(scan, direct) / scale).toBeLessThan(1e-10);
        expect(maxAbs(conv, direct) / scale).toBeLessThan(1e-10);
      }),
      { numRuns: 40 },
    );
  });
});

describe('State-Space model: bad input', () => {
  test('unstable A with requireStable, dt ≤ 0, singular bilinear, NaN input, wrong shapes', () => {
    const unstable = continuousSSM({ A: [[0.5, 0], [0, -1]], B: [1, 1], C: [1, 1] });
    expect(() => discretize(unstable, { dt: 0.1, requireStable: true })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => discretize(unstable, { dt: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => discretize(continuousSSM({ A: [[20]], B: [1], C: [1] }), { dt: 0.1, method: 'bilinear' })).toThrow(/singular/);
    const d = discreteSSM({ A: [[0.5]], B: [1], C: [1] });
    expect(() => ssmScan(d, [1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => continuousSSM({ A: [[1, 2]], B: [1], C: [1] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => continuousSSM({ A: [[1]], B: [1, 2], C: [1] })).toThrow(/rows of A/);
    expect(() => ssmKernel(d, 0)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
