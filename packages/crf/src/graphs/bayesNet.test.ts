import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { createBayesNet } from './bayesNet.js';
import { bruteForceFactorGraph } from './factorGraph.js';

// Sprinkler network: cloudy → sprinkler, cloudy → rain, (sprinkler, rain) → wet
const net = () =>
  createBayesNet([
    { cardinality: 2, parents: [], cpt: [[0.5, 0.5]] },
    { cardinality: 2, parents: [0], cpt: [[0.5, 0.5], [0.9, 0.1]] },
    { cardinality: 2, parents: [0], cpt: [[0.8, 0.2], [0.2, 0.8]] },
    { cardinality: 2, parents: [1, 2], cpt: [[1, 0], [0.1, 0.9], [0.1, 0.9], [0.01, 0.99]] },
  ]);

describe('有向图模型 (Bayesian network): P(W) = Π P(w | Parents(w))', () => {
  test('the factorisation sums to 1 and equals the factor graph with Z = 1', () => {
    const bn = net();
    let total = 0;
    for (let k = 0; k < 16; k++) {
      const x = [(k >> 3) & 1, (k >> 2) & 1, (k >> 1) & 1, k & 1];
      total += Math.exp(bn.logProb(x));
      expect(bn.toFactorGraph().unnormalized(x)).toBeCloseTo(Math.exp(bn.logProb(x)), 14);
    }
    expect(total).toBeCloseTo(1, 14);
    const bf = bruteForceFactorGraph(bn.toFactorGraph());
    expect(bf.Z).toBeCloseTo(1, 14);
    // p(wet) by hand: Σ_c p(c) Σ_{s,r} p(s|c) p(r|c) p(w|s,r)
    const pw = 0.5 * (0.5 * 0.8 * 0 + 0.5 * 0.2 * 0.9 + 0.5 * 0.8 * 0.9 + 0.5 * 0.2 * 0.99) +
      0.5 * (0.9 * 0.2 * 0 + 0.9 * 0.8 * 0.9 + 0.1 * 0.2 * 0.9 + 0.1 * 0.8 * 0.99);
    expect(bf.marginals[3][1]).toBeCloseTo(pw, 14);
  });

  test('ancestral sampling matches the joint (seeded; 5σ binomial tolerance)', () => {
    const bn = net();
    const rng = createRng(7);
    const n = 40_000;
    const counts = new Float64Array(16);
    for (let i = 0; i < n; i++) {
      const x = bn.sample(rng);
      counts[(x[0] << 3) | (x[1] << 2) | (x[2] << 1) | x[3]]++;
    }
    for (let k = 0; k < 16; k++) {
      const p = Math.exp(bn.logProb([(k >> 3) & 1, (k >> 2) & 1, (k >> 1) & 1, k & 1]));
      expect(Math.abs(counts[k] / n - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1e-12);
    }
    expect(Array.from(net().sample(createRng(3)))).toEqual(Array.from(net().sample(createRng(3))));
  });

  test('bad CPTs and cycles throw typed errors', () => {
    expect(() => createBayesNet([{ cardinality: 2, parents: [], cpt: [[0.5, 0.6]] }])).toThrow(
      expect.objectContaining({ code: 'domain' }),
    );
    expect(() => createBayesNet([{ cardinality: 2, parents: [], cpt: [[0.5, 0.5], [0.5, 0.5]] }])).toThrow(
      expect.objectContaining({ code: 'shape' }),
    );
    expect(() =>
      createBayesNet([
        { cardinality: 1, parents: [1], cpt: [[1]] },
        { cardinality: 1, parents: [0], cpt: [[1]] },
      ]),
    ).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => net().logProb([0, 0, 0, 2])).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
