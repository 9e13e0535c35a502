import { createRng, ops, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { Matrix } from 'ml-matrix';
import { describe, expect, test } from 'vitest';
import { diagonalSSM, discretize, hippoLegS, ssmKernel } from '../ssm/index.js';
import { bosLogitProfile, memoryProfile, ssmOperator } from './index.js';

describe('记忆力 (memory): |∂y(t)/∂u(t−n)| by autodiff', () => {
  test.each([
    ['HiPPO-LegS', hippoLegS(4, { D: 0.5 })],
    ['diagonal', diagonalSSM(3, { C: [1, -2, 0.5] })],
  ])('%s SSM: profile equals |C Āⁿ B̄| (+ D at n = 0), the notes\' formula', (_name, cont) => {
    const ssm = discretize(cont, { dt: 0.05 });
    const L = 40;
    const u = Tensor.fromArray(sampleNormalArray(createRng(1), L));
    const t = 33;
    const profile = memoryProfile(ssmOperator(ssm), u, t);
    // Independent: C Āⁿ B̄ by explicit matrix powers.
    let v = Matrix.columnVector(Array.from(ssm.B));
    for (let n = 0; n <= t; n++) {
      const cab = Array.from(ssm.C).reduce((s, c, i) => s + c * v.get(i, 0), 0) + (n === 0 ? ssm.D : 0);
      expect(profile[n]).toBeCloseTo(Math.abs(cab), 10);
      v = ssm.A.mmul(v);
    }
    // ...and equals |h_n|, the kernel's own taps.
    const h = ssmKernel(ssm, t + 1);
    for (let n = 0; n <= t; n++) expect(profile[n]).toBeCloseTo(Math.abs(h[n] as number), 10);
  });

  test('a causal operator has no dependence on the future; a window-3 moving sum has memory exactly 3', () => {
    const op = (u: Tensor) => ops.fftConv1d(u, Tensor.fromArray([1, 1, 1]));
    const profile = memoryProfile(op, Tensor.fromArray(sampleNormalArray(createRng(2), 20)), 10);
    const want = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    for (const [n, w] of want.entries()) expect(Math.abs((profile[n] as number) - w)).toBeLessThan(1e-12);
  });

  test('bad input: t outside [0, L)', () => {
    expect(() => memoryProfile((u) => u, Tensor.zeros([5]), 5)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('记忆力: the [bos] pre-softmax logit experiment', () => {
  test('logits are q_i·k_j averaged over heads, causal, and a head keyed to [bos] shows it', () => {
    const D = 4;
    const embeddings = new Matrix([
      [5, 0, 0, 0], // [bos]
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ]);
    // Head 1: every query looks for the [bos] direction (k = first coordinate, q = constant).
    const Wq = Matrix.zeros(D, 1);
    for (let i = 0; i < D; i++) Wq.set(i, 0, 1);
    const Wk = Matrix.zeros(D, 1);
    Wk.set(0, 0, 1);
    const { tokens, logits, bosExcess } = bosLogitProfile({ embeddings, heads: [{ Wq, Wk }, { Wq: Wk, Wk: Wq }], length: 12, positional: false, rng: createRng(5) });
    expect(tokens[0]).toBe(0);
    expect(Array.from(tokens.slice(1)).every((t) => t !== 0)).toBe(true);
    // Independent: recompute one logit by hand.
    const x = (p: number) => embeddings.getRow(tokens[p] as number);
    const qk = (p: number, j: number, q: Matrix, k: Matrix) =>
      x(p).reduce((s, v, a) => s + v * q.get(a, 0), 0) * x(j).reduce((s, v, a) => s + v * k.get(a, 0), 0);
    expect(logits.get(7, 3)).toBeCloseTo((qk(7, 3, Wq, Wk) + qk(7, 3, Wk, Wq)) / 2, 12);
    expect(logits.get(3, 7)).toBe(Number.NEGATIVE_INFINITY);
    for (let i = 1; i < 12; i++) expect(bosExcess[i]).toBeGreaterThan(0);
  });

  test('bad input: head matrices of the wrong shape or with NaN are typed errors naming the head', () => {
    const embeddings = Matrix.eye(3, 3);
    const ok = Matrix.ones(3, 2);
    expect(() => bosLogitProfile({ embeddings, heads: [{ Wq: Matrix.ones(2, 2), Wk: ok }], length: 4 })).toThrow(/heads\[0\]\.Wq/);
    expect(() => bosLogitProfile({ embeddings, heads: [{ Wq: ok, Wk: Matrix.ones(3, 1) }], length: 4 })).toThrow(expect.objectContaining({ code: 'shape' }));
    const nan = Matrix.ones(3, 2);
    nan.set(1, 1, Number.NaN);
    expect(() => bosLogitProfile({ embeddings, heads: [{ Wq: ok, Wk: nan }], length: 4 })).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });
});
