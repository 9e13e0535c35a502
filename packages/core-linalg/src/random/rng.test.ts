import { describe, expect, test } from 'vitest';
import { draw, moments } from './moments.testutil.js';
import {
  createRng,
  permutation,
  sampleBeta,
  sampleCategorical,
  sampleDirichlet,
  sampleExponential,
  sampleGamma,
  samplePoisson,
  type Rng,
} from './index.js';

/** One draw of every kind, so stream bookkeeping is exercised. */
function mixed(rng: Rng): number[] {
  const out: number[] = [];
  for (let i = 0; i < 50; i++) {
    out.push(rng.uniform(), rng.normal(), sampleGamma(rng, 0.7, 2), sampleBeta(rng, 2, 3));
    out.push(samplePoisson(rng, 4), sampleExponential(rng), sampleCategorical(rng, [1, 2, 3]));
    out.push(...sampleDirichlet(rng, [0.5, 1, 2]), ...permutation(rng, 4));
  }
  return out;
}

describe('random: seeded generator (createRng)', () => {
  test('same seed → identical output; different seeds differ', () => {
    expect(mixed(createRng(42))).toEqual(mixed(createRng(42)));
    expect(mixed(createRng(42))).not.toEqual(mixed(createRng(43)));
    expect(createRng(0).uniform()).not.toBe(createRng(2 ** 32).uniform());
    expect(createRng(2 ** 53 - 1).seed).toBe(2 ** 53 - 1);
  });

  test('clone() continues exactly the same streams, and leaves the original untouched', () => {
    const a = createRng(9);
    mixed(a);
    const b = a.clone();
    const fromA = mixed(a);
    const fromB = mixed(b);
    expect(fromB).toEqual(fromA);
    // a clone taken before any normal/gamma/beta draw also agrees
    const c = createRng(11);
    c.uniform();
    const d = c.clone();
    expect(mixed(d)).toEqual(mixed(c));
  });

  test('split() is deterministic and gives a stream different from the parent', () => {
    const p1 = createRng(5);
    const p2 = createRng(5);
    const c1 = p1.split();
    const c2 = p2.split();
    expect(mixed(c1)).toEqual(mixed(c2));
    expect(mixed(p1)).toEqual(mixed(p2));
    const p = createRng(5);
    const child = p.split();
    const xs = draw(2000, () => p.uniform());
    const ys = draw(2000, () => child.uniform());
    // sample correlation of independent streams: |r| < 4/sqrt(n)
    let sxy = 0;
    for (let i = 0; i < xs.length; i++) sxy += ((xs[i] as number) - 0.5) * ((ys[i] as number) - 0.5);
    const r = sxy / xs.length / (1 / 12);
    expect(Math.abs(r)).toBeLessThan(4 / Math.sqrt(xs.length));
  });

  test('uniform() lies in [0, 1) with mean 1/2 and variance 1/12; decile counts within 4 SE', () => {
    const rng = createRng(123);
    const xs = draw(100_000, () => rng.uniform());
    const m = moments(xs);
    expect(Math.abs(m.mean - 0.5)).toBeLessThan(4 * m.seMean);
    expect(Math.abs(m.variance - 1 / 12)).toBeLessThan(4 * m.seVariance);
    const counts = new Array(10).fill(0);
    let outside = 0;
    for (const x of xs) {
      if (!(x >= 0 && x < 1)) outside++;
      else counts[Math.floor(x * 10)]++;
    }
    expect(outside).toBe(0);
    const se = Math.sqrt(xs.length * 0.1 * 0.9);
    for (const c of counts) expect(Math.abs(c - xs.length / 10)).toBeLessThan(4 * se);
  });

  test('a custom Rng object works with every sampler', () => {
    const inner = createRng(77);
    const custom: Rng = {
      seed: 77,
      uniform: () => inner.uniform(),
      normal: () => inner.normal(),
      clone: () => custom,
      split: () => custom,
    };
    const g = draw(20_000, () => sampleGamma(custom, 3, 2));
    const m = moments(g);
    expect(Math.abs(m.mean - 1.5)).toBeLessThan(4 * m.seMean);
    expect(sampleDirichlet(custom, [1, 1]).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
  });

  test.each([Number.NaN, -1, 1.5, 2 ** 53])('bad seed %s → domain error', (seed) => {
    expect(() => createRng(seed)).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});
