import { createRng, DomainError } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { createNVIL, EXAMPLE_LOGITS, exampleObjective, gumbelMax, gumbelSoftmax, gumbelSoftmaxGradient, muPropGradient, reinforceGradient } from './index.js';

const obj = exampleObjective();
const phi = EXAMPLE_LOGITS;

/** Each estimator in its three call forms: positional generator, option `rng`, option `seed`. */
const forms = {
  reinforceGradient: {
    positional: (seed: number) => reinforceGradient(obj, phi, createRng(seed), { samples: 5, baseline: 0.3 }),
    rngOption: (seed: number) => reinforceGradient(obj, phi, { rng: createRng(seed), samples: 5, baseline: 0.3 }),
    seedOption: (seed: number) => reinforceGradient(obj, phi, { seed, samples: 5, baseline: 0.3 }),
  },
  gumbelSoftmaxGradient: {
    positional: (seed: number) => gumbelSoftmaxGradient(obj, phi, createRng(seed), { temperature: 0.5, samples: 5 }),
    rngOption: (seed: number) => gumbelSoftmaxGradient(obj, phi, { rng: createRng(seed), temperature: 0.5, samples: 5 }),
    seedOption: (seed: number) => gumbelSoftmaxGradient(obj, phi, { seed, temperature: 0.5, samples: 5 }),
  },
  gumbelSoftmax: {
    positional: (seed: number) => gumbelSoftmax(phi, createRng(seed), { temperature: 0.7 }).soft,
    rngOption: (seed: number) => gumbelSoftmax(phi, { rng: createRng(seed), temperature: 0.7 }).soft,
    seedOption: (seed: number) => gumbelSoftmax(phi, { seed, temperature: 0.7 }).soft,
  },
  gumbelMax: {
    positional: (seed: number) => [gumbelMax(phi, createRng(seed))],
    rngOption: (seed: number) => [gumbelMax(phi, { rng: createRng(seed) })],
    seedOption: (seed: number) => [gumbelMax(phi, { seed })],
  },
  muPropGradient: {
    positional: (seed: number) => muPropGradient(obj, phi, createRng(seed)),
    rngOption: (seed: number) => muPropGradient(obj, phi, { rng: createRng(seed) }),
    seedOption: (seed: number) => muPropGradient(obj, phi, { seed }),
  },
  'NVIL.gradient': {
    positional: (seed: number) => createNVIL({ contexts: obj.contexts ?? 1 }).gradient(obj, phi, createRng(seed), { learn: false }).gradient,
    rngOption: (seed: number) => createNVIL({ contexts: obj.contexts ?? 1 }).gradient(obj, phi, { rng: createRng(seed), learn: false }).gradient,
    seedOption: (seed: number) => createNVIL({ contexts: obj.contexts ?? 1 }).gradient(obj, phi, { seed, learn: false }).gradient,
  },
} as const;

describe('Discrete Latent Variables: seed / rng options (docs/conventions.md)', () => {
  for (const [name, f] of Object.entries(forms)) {
    test(`${name}: same seed → same result; seed, option rng and positional rng seeded alike agree; other seeds differ`, () => {
      const a = Array.from(f.seedOption(11));
      expect(Array.from(f.seedOption(11))).toEqual(a);
      expect(Array.from(f.rngOption(11))).toEqual(a);
      expect(Array.from(f.positional(11))).toEqual(a);
      // some seed in 12..31 changes the draw (gumbelMax has only a few outcomes)
      const differs = Array.from({ length: 20 }, (_, i) => JSON.stringify(Array.from(f.seedOption(12 + i))) !== JSON.stringify(a));
      expect(differs.some(Boolean)).toBe(true);
    });
  }

  test('no randomness given → seed 0', () => {
    expect(Array.from(reinforceGradient(obj, phi))).toEqual(Array.from(reinforceGradient(obj, phi, { seed: 0 })));
    expect(gumbelMax(phi)).toBe(gumbelMax(phi, createRng(0)));
    expect(Array.from(muPropGradient(obj, phi))).toEqual(Array.from(muPropGradient(obj, phi, createRng(0))));
  });

  test('a positional generator is advanced by the call (a sequence of draws), a fixed seed repeats the draw', () => {
    const rng = createRng(4);
    const first = Array.from(reinforceGradient(obj, phi, rng, { samples: 3 }));
    const second = Array.from(reinforceGradient(obj, phi, rng, { samples: 3 }));
    expect(second).not.toEqual(first);
    expect(Array.from(reinforceGradient(obj, phi, { seed: 4, samples: 3 }))).toEqual(first);
  });

  test('both seed and rng, a generator given twice, two options arguments or a non-generator → DomainError', () => {
    expect(() => reinforceGradient(obj, phi, { seed: 1, rng: createRng(1) })).toThrow(DomainError);
    expect(() => reinforceGradient(obj, phi, createRng(1), { seed: 1 } as never)).toThrow(/give option 'seed' or 'rng' only without it/);
    expect(() => gumbelSoftmax(phi, { seed: 1 } as never, { temperature: 1 } as never)).toThrow(/two options arguments/);
    expect(() => gumbelMax(phi, 3 as never)).toThrow(/must be a generator from createRng or an options object/);
    expect(() => muPropGradient(obj, phi, { seed: -1 })).toThrow(DomainError);
    expect(() => gumbelMax(phi, { sede: 1 } as never)).toThrow(DomainError);
    expect(() => createNVIL({ contexts: obj.contexts ?? 1 }).gradient(obj, phi, { seed: 1.5 })).toThrow(DomainError);
  });
});
