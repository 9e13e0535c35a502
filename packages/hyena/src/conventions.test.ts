// docs/conventions.md for @notes/hyena: options from one spec (unknown keys name the closest), seed or rng,
// fromJSON validates every field, memory guards before the O(L²) allocations, no NaN in results.
import { createRng, noGrad, ops, sampleNormalArray, Tensor, variableGrads } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import {
  bosLogitProfile,
  CausalSelfAttention,
  causalToeplitz,
  circulantFromEigenvalues,
  circulantMatrix,
  diagonalSSM,
  discreteSSM,
  discretize,
  HyenaFilter,
  HyenaOperator,
  HyenaProjection,
  hippoLegS,
  hyenaMatrixForm,
  memoryProfile,
  ssmKernel,
  ssmOperator,
  toeplitzMatrix,
} from './index.js';

const code = (c: string) => expect.objectContaining({ code: c });
const u = (L: number, D: number, seed = 1) => new Tensor(sampleNormalArray(createRng(seed), L * D), [L, D]);

describe('options: one spec per function, unknown keys rejected naming the closest', () => {
  test.each([
    ['HyenaFilter', () => new HyenaFilter({ width: 2, order: 1, maxLength: 8, omgea: 3 } as never), /unknown option 'omgea'; did you mean 'omega'\?/],
    ['HyenaOperator', () => new HyenaOperator({ width: 2, order: 1, maxLength: 8, shortKernal: 3 } as never), /did you mean 'shortKernel'/],
    ['HyenaProjection', () => new HyenaProjection({ width: 2, ordre: 1 } as never), /did you mean 'order'/],
    ['CausalSelfAttention', () => new CausalSelfAttention({ width: 2, head: 2 } as never), /did you mean 'heads'/],
    ['discretize', () => discretize(diagonalSSM(2), { dt: 0.1, methd: 'zoh' } as never), /did you mean 'method'/],
    ['memoryProfile', () => memoryProfile((x) => x, u(3, 1), 1, { outputChanel: 0 } as never), /did you mean 'outputChannel'/],
    ['hippoLegS', () => hippoLegS(2, { d: 1 } as never), /unknown option 'd'/],
    ['causalToeplitz', () => causalToeplitz([1], 3, { maxMemoryByte: 1e6 } as never), /did you mean 'maxMemoryBytes'/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(code('domain'));
    expect(call).toThrow(message);
  });

  test('wrong types quote the value with its type', () => {
    expect(() => new HyenaFilter({ width: 2, order: 1, maxLength: '8' as never })).toThrow(/option 'maxLength' must be an integer >= 1, got '8' \(string\)/);
    expect(() => new HyenaOperator({ width: 2, order: 1 } as never)).toThrow(/option 'maxLength' is required/);
  });
});

describe('seed or rng', () => {
  test('layers accept either; both is an error; the rng draw is stored as the seed', () => {
    const a = new HyenaOperator({ width: 2, order: 2, maxLength: 8, rng: createRng(3) });
    const b = new HyenaOperator({ width: 2, order: 2, maxLength: 8, rng: createRng(3) });
    expect(a.toJSON()).toEqual(b.toJSON());
    const seed = a.toJSON().config.seed as number;
    expect(Number.isInteger(seed)).toBe(true);
    expect(new HyenaOperator({ width: 2, order: 2, maxLength: 8, seed }).toJSON()).toEqual(a.toJSON());
    expect(() => new CausalSelfAttention({ width: 2, seed: 1, rng: createRng(1) })).toThrow(/either option 'seed' or option 'rng'/);
  });

  test('bosLogitProfile: seed and rng give the same tokens', () => {
    const base = { embeddings: [[1, 0], [0, 1], [1, 1]], heads: [{ Wq: [[1], [0]], Wk: [[1], [1]] }], length: 9 };
    expect(bosLogitProfile({ ...base, seed: 4 }).tokens).toEqual(bosLogitProfile({ ...base, rng: createRng(4) }).tokens);
    expect(() => bosLogitProfile({ ...base, seed: 4, rng: createRng(4) })).toThrow(code('domain'));
  });
});

describe('fromJSON validates every field', () => {
  const op = () => new HyenaOperator({ width: 2, order: 1, maxLength: 8, seed: 2 });
  test('round trip is exact and the rebuilt operator computes the same output', () => {
    const json = JSON.parse(JSON.stringify(op().toJSON()));
    const back = HyenaOperator.fromJSON(json);
    expect(JSON.parse(JSON.stringify(back.toJSON()))).toEqual(json);
    expect(Array.from(noGrad(() => back.forward(u(5, 2))).data)).toEqual(Array.from(noGrad(() => op().forward(u(5, 2))).data));
  });
  test.each([
    ['kind', (j: Record<string, unknown>) => Object.assign(j, { kind: 'HyenaFilter' })],
    ['version', (j: Record<string, unknown>) => Object.assign(j, { version: 2 })],
    ['config', (j: Record<string, unknown>) => Object.assign(j, { config: null })],
    ['config.width', (j: Record<string, unknown>) => Object.assign(j, { config: { ...(j.config as object), width: -1 } })],
    ['config.decay', (j: Record<string, unknown>) => Object.assign(j, { config: { ...(j.config as object), decay: [1, null] } })],
    ['config extra key', (j: Record<string, unknown>) => Object.assign(j, { config: { ...(j.config as object), widht: 2 } })],
    ['params', (j: Record<string, unknown>) => Object.assign(j, { params: [] })],
    ['params extra weight', (j: Record<string, unknown>) => Object.assign(j, { params: { ...(j.params as object), extra: { shape: [1], data: [0] } } })],
    ['a weight set to null (NaN in JSON)', (j: Record<string, unknown>) => {
      const p = j.params as Record<string, { data: unknown[] }>;
      (p['outProjection.weight'] as { data: unknown[] }).data[0] = null;
      return j;
    }],
  ])('tampered %s is a typed error', (_what, tamper) => {
    const json = tamper(JSON.parse(JSON.stringify(op().toJSON())));
    expect(() => HyenaOperator.fromJSON(json as never)).toThrow(expect.objectContaining({ code: expect.stringMatching(/domain|shape|non-finite/) }));
  });
});

describe('memory guards before O(L²) allocations', () => {
  test.each([
    ['causalToeplitz', () => causalToeplitz([1, 2], 100_000)],
    ['toeplitzMatrix', () => toeplitzMatrix([1, 2, 3], [1, 2, 3], { maxMemoryBytes: 50 })],
    ['circulantMatrix', () => circulantMatrix(new Float64Array(20_000).fill(1))],
    ['circulantFromEigenvalues', () => circulantFromEigenvalues({ re: new Float64Array(10_000), im: new Float64Array(10_000) })],
    ['diagonalSSM', () => diagonalSSM(100_000)],
    ['bosLogitProfile', () => bosLogitProfile({ embeddings: [[1], [2]], heads: [{ Wq: [[1]], Wk: [[1]] }], length: 20_000 })],
    ['hyenaMatrixForm', () => {
      const t = () => Tensor.zeros([1, 64]);
      return hyenaMatrixForm(t(), [t()], [t()], { maxMemoryBytes: 1e4 });
    }],
    ['CausalSelfAttention (taped scores)', () => {
      const attn = new CausalSelfAttention({ width: 2, maxMemoryBytes: 1e4 });
      return variableGrads(() => ops.sum(attn.forward(u(64, 2))), attn.parameters());
    }],
    ['HyenaFilter (huge maxLength)', () => new HyenaFilter({ width: 64, order: 2, maxLength: 1e9 })],
  ])('%s throws ResourceError naming the size', (_name, call) => {
    expect(call).toThrow(code('resource'));
    expect(call).toThrow(/needs about .* above the budget/);
  });

  test('attention without a tape holds one block of scores: no guard, any length', () => {
    const y = noGrad(() => new CausalSelfAttention({ width: 2, maxMemoryBytes: 1e4 }).forward(u(64, 2)));
    expect(y.shape).toEqual([64, 2]);
  });
});

describe('no NaN in results (regressions)', () => {
  test('a discrete SSM given directly has dt null (was NaN)', () => {
    expect(discreteSSM({ A: [[0.5]], B: [1], C: [1] }).dt).toBeNull();
  });
  test('bosLogitProfile masks the upper triangle with -Infinity (was NaN)', () => {
    const { logits } = bosLogitProfile({ embeddings: [[1], [2]], heads: [{ Wq: [[1]], Wk: [[1]] }], length: 3 });
    expect(logits.get(0, 1)).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(logits.get(0, 1))).toBe(false);
  });
  test('an unstable SSM kernel that overflows is a typed error (was Infinity)', () => {
    expect(() => ssmKernel(discreteSSM({ A: [[1e10]], B: [1], C: [1] }), 40)).toThrow(/overflowed/);
  });
  test('ssmOperator validates the SSM when built', () => {
    expect(() => ssmOperator({ kind: 'discrete', A: null } as never)).toThrow(code('shape'));
  });
});
