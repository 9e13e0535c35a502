import { describe, expect, test } from 'vitest';
import { betaBernoulli } from './beta-bernoulli.js';
import { dirichletCategorical } from './dirichlet-categorical.js';
import { conjugateFromJSON } from './from-json.js';
import { normalWishart } from './normal-wishart.js';
import type { ConjugateJSON } from './types.js';
import { wishartPrecision } from './wishart-precision.js';

const domain = expect.objectContaining({ code: 'domain' });
const edit = (j: ConjugateJSON, params: ConjugateJSON['params']): ConjugateJSON => ({ ...j, params: { ...j.params, ...params } });

describe('Conjugate distribution: conjugateFromJSON validates what it rebuilds', () => {
  test('round trip through JSON text is exact', () => {
    const models = [
      betaBernoulli({ alpha: 0.3, beta: 1 / 3 }).update([1, 0, 1]),
      dirichletCategorical({ alpha: [0.1, 0.2, 0.7] }).update([2, 2, 0]),
      wishartPrecision({ mean: [0.1, -0.2], df: 2.5, scale: [[1 / 3, 0.1], [0.1, 0.7]] }).update([[0.3, 1 / 7]]),
      normalWishart({ mean: [0.1, -0.2], kappa: 0.3, df: 2.5, scale: [[1 / 3, 0.1], [0.1, 0.7]] }).update([[0.3, 1 / 7]]),
    ];
    for (const m of models) {
      const json = JSON.parse(JSON.stringify(m.toJSON())) as ConjugateJSON;
      expect(conjugateFromJSON(json).toJSON()).toEqual(m.toJSON());
    }
  });

  test('parameters the factory would reject throw its typed error (they were accepted before)', () => {
    const bb = betaBernoulli({ alpha: 1, beta: 1 }).toJSON();
    expect(() => conjugateFromJSON(edit(bb, { alpha: -1 }))).toThrow(domain);
    expect(() => conjugateFromJSON(edit(bb, { beta: Number.NaN }))).toThrow(expect.objectContaining({ code: 'non-finite' }));
    const dc = dirichletCategorical({ alpha: [1, 2] }).toJSON();
    expect(() => conjugateFromJSON(edit(dc, { alpha: [1, 0] }))).toThrow(domain);
    const nw = normalWishart({ mean: [0, 0], kappa: 1, df: 3, scale: [[1, 0], [0, 1]] }).toJSON();
    expect(() => conjugateFromJSON(edit(nw, { kappa: 0 }))).toThrow(domain);
    expect(() => conjugateFromJSON(edit(nw, { df: 0.5 }))).toThrow(/'json.params.df'/);
    expect(() => conjugateFromJSON(edit(nw, { scaleInverse: [[1, 2], [2, 1]] }))).toThrow(domain); // not PD
    expect(() => conjugateFromJSON(edit(nw, { scaleInverse: [[1, 0.5], [0, 1]] }))).toThrow(domain); // not symmetric
    expect(() => conjugateFromJSON(edit(nw, { scaleInverse: [[1]] }))).toThrow(expect.objectContaining({ code: 'shape' }));
  });

  test('a non-object argument is a DomainError, not a TypeError', () => {
    expect(() => conjugateFromJSON(null as unknown as ConjugateJSON)).toThrow(domain);
    expect(() => conjugateFromJSON({ kind: 'beta-bernoulli', version: 1 } as unknown as ConjugateJSON)).toThrow(domain);
  });
});
