import { createRng, noGrad, sampleNormalArray, Tensor } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { CausalSelfAttention, HyenaFilter, HyenaOperator, HyenaProjection } from './index.js';

// Regression: `{ ...DEFAULTS, ...options }` let an explicit `undefined` erase a default (callers that
// forward their own optional values). A layer built with every defaulted option set to `undefined` must
// equal the layer built without those keys: same parameters (toJSON) and same forward pass.

const L = 12;
const D = 4;
const u = new Tensor(sampleNormalArray(createRng(5), L * D), [L, D]);
const values = (t: Tensor): number[] => Array.from(t.data);

describe('Hyena: explicit undefined options keep the defaults', () => {
  test('HyenaFilter (implicit long filters)', () => {
    const base = { width: D, order: 2, maxLength: 16 };
    const ref = new HyenaFilter(base);
    const got = new HyenaFilter({ ...base, embeddingDim: undefined, hidden: undefined, omega: undefined, decay: undefined, seed: undefined });
    expect(got.toJSON()).toEqual(ref.toJSON());
    expect(noGrad(() => got.forward(L)).map(values)).toEqual(noGrad(() => ref.forward(L)).map(values));
  });

  test('HyenaProjection (short convolutions)', () => {
    const base = { width: D, order: 2 };
    const ref = new HyenaProjection(base);
    const got = new HyenaProjection({ ...base, shortKernel: undefined, seed: undefined });
    expect(got.toJSON()).toEqual(ref.toJSON());
    const a = noGrad(() => got.forward(u));
    const b = noGrad(() => ref.forward(u));
    expect(values(a.v)).toEqual(values(b.v));
    expect(a.x.map(values)).toEqual(b.x.map(values));
  });

  test('HyenaOperator forwards undefined filter options to its filter', () => {
    const base = { width: D, order: 2, maxLength: 16 };
    const ref = new HyenaOperator(base);
    const got = new HyenaOperator({ ...base, embeddingDim: undefined, hidden: undefined, omega: undefined, decay: undefined });
    expect(values(noGrad(() => got.forward(u)))).toEqual(values(noGrad(() => ref.forward(u))));
  });

  test('CausalSelfAttention', () => {
    const ref = new CausalSelfAttention({ width: D });
    const got = new CausalSelfAttention({ width: D, heads: undefined, seed: undefined });
    expect(got.toJSON()).toEqual(ref.toJSON());
    expect(values(noGrad(() => got.forward(u)))).toEqual(values(noGrad(() => ref.forward(u))));
  });
});
