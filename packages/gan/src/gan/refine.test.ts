/**
 * Discriminator-driven sampling (refine.ts, GANModel.sampleRefined, trainGAN's calibrationSteps) against
 * closed forms: on a 1-D toy where p_data = N(0.5, 1) and the proposal p_g = N(0, 1.5²) are known, the
 * exact optimal discriminator D* = p/(p + q) (and each f-GAN's optimal critic f'(p/q)) gives refined
 * samples that pass a Kolmogorov–Smirnov test against p_data at level 0.001 (critical value from the
 * sampling error, 1.949/√n), while the raw proposals fail it; rejection's acceptance rate is 1/M within
 * 4 binomial standard errors.
 */
import { AbortError, ConvergenceError, createRng, DomainError, normalCdf, type Rng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { F_DIVERGENCES, type FDivergenceName, logDensityRatio, optimalCritic } from '../fdivergence/index.js';
import { GANModel } from './model.js';
import { type RatioSource, refineSamples, refineSamplesAsync } from './refine.js';
import { trainGAN } from './train.js';

const LOG_2PI = Math.log(2 * Math.PI);
const logNormal = (x: number, mu: number, sd: number) => -0.5 * ((x - mu) / sd) ** 2 - Math.log(sd) - 0.5 * LOG_2PI;
const P = { mu: 0.5, sd: 1 };
const Q = { mu: 0, sd: 1.5 };
const logP = (x: number) => logNormal(x, P.mu, P.sd);
const logQ = (x: number) => logNormal(x, Q.mu, Q.sd);
// sup log p/q: d/dx [−(x − 0.5)²/2 + x²/4.5] = 0 at x = 0.5/(1 − 1/2.25) = 0.9
const X_STAR = 0.5 / (1 - 1 / 2.25);
const LOG_M = logP(X_STAR) - logQ(X_STAR);

/** The proposal N(0, 1.5²) with a log ratio computed by `ratio` from the two log densities. */
function toySource(ratio: (lp: number, lq: number) => number): RatioSource {
  return {
    dim: 1,
    propose(count: number, rng: Rng) {
      return Float64Array.from({ length: count }, () => Q.mu + Q.sd * rng.normal());
    },
    logRatio(x: Float64Array, count: number) {
      return Float64Array.from({ length: count }, (_, i) => ratio(logP(x[i]!), logQ(x[i]!)));
    },
  };
}

/** The exact optimal discriminator D* = p/(p + q), its log ratio read back as log(D/(1 − D)). */
const exactDiscriminator = toySource((lp, lq) => {
  const D = 1 / (1 + Math.exp(lq - lp));
  return Math.log(D / (1 - D));
});

/** Kolmogorov–Smirnov statistic of samples against N(mu, sd²). */
function ks(samples: ArrayLike<number>, mu: number, sd: number): number {
  const s = Float64Array.from(samples).sort();
  let d = 0;
  for (let i = 0; i < s.length; i++) {
    const F = normalCdf(s[i]!, mu, sd);
    d = Math.max(d, (i + 1) / s.length - F, F - i / s.length);
  }
  return d;
}
/** KS critical value at level 0.001. */
const ksCritical = (n: number) => 1.949 / Math.sqrt(n);

const column = (m: { to1DArray(): number[] }) => m.to1DArray();

describe('logDensityRatio inverts f′ (per divergence)', () => {
  const invertible: FDivergenceName[] = ['kl', 'reverse-kl', 'jensen-shannon', 'pearson', 'hellinger'];
  for (const d of invertible) {
    test(`${d}: log (f')⁻¹(f'(r)) = log r for log r in [−10, 10]`, () => {
      for (let lr = -10; lr <= 10; lr += 0.25) {
        const T = F_DIVERGENCES[d].fPrime(Math.exp(lr));
        expect(Math.abs(logDensityRatio(d, T) - lr)).toBeLessThan(1e-6);
        // and from log densities through optimalCritic (the optimal critic T* = f'(p/q))
        expect(Math.abs(logDensityRatio(d, optimalCritic(d, lr - 3, -3)) - lr)).toBeLessThan(1e-6);
      }
    });
  }
  test('closed forms at r = 2: KL T = 1 + log 2, reverse KL −½, JS ½ log(4/3), Pearson 2, Hellinger 1 − 1/√2', () => {
    expect(logDensityRatio('kl', 1 + Math.LN2)).toBeCloseTo(Math.LN2, 14);
    expect(logDensityRatio('reverse-kl', -0.5)).toBeCloseTo(Math.LN2, 14);
    expect(logDensityRatio('jensen-shannon', 0.5 * Math.log(4 / 3))).toBeCloseTo(Math.LN2, 14);
    expect(logDensityRatio('pearson', 2)).toBeCloseTo(Math.LN2, 14);
    expect(logDensityRatio('hellinger', 1 - Math.SQRT1_2)).toBeCloseTo(Math.LN2, 14);
  });
  test('total variation (f′ = ½ sign(r − 1)) and values outside f′((0, ∞)) throw DomainError', () => {
    expect(() => logDensityRatio('total-variation', 0.5)).toThrow(DomainError);
    expect(() => logDensityRatio('reverse-kl', 0)).toThrow(/outside/);
    expect(() => logDensityRatio('jensen-shannon', 0.5 * Math.LN2)).toThrow(/outside/);
    expect(() => logDensityRatio('pearson', -2)).toThrow(/outside/);
    expect(() => logDensityRatio('hellinger', 1)).toThrow(/outside/);
    expect(() => logDensityRatio('kl', Number.NaN)).toThrow(DomainError);
  });
});

describe('refineSamples on a 1-D toy with the exact optimal discriminator', () => {
  const n = 2000;
  test('the raw proposals fail the KS test against p_data (the test has power)', () => {
    const rng = createRng(5);
    const raw = Array.from({ length: n }, () => Q.mu + Q.sd * rng.normal());
    expect(ks(raw, P.mu, P.sd)).toBeGreaterThan(3 * ksCritical(n));
  });

  test('rejection with M = sup r: samples follow p_data, acceptance rate 1/M', () => {
    const r = refineSamples(exactDiscriminator, n, { seed: 1, logM: LOG_M });
    expect(r.method).toBe('rejection');
    expect(r.samples.rows).toBe(n);
    expect(ks(column(r.samples), P.mu, P.sd)).toBeLessThan(ksCritical(n));
    const p = Math.exp(-LOG_M);
    const se = Math.sqrt((p * (1 - p)) / r.proposals);
    expect(Math.abs(r.acceptanceRate - p)).toBeLessThan(4 * se);
    expect(r.accepted).toBe(n);
    expect(r.logM).toBe(LOG_M);
    expect(Object.isFrozen(r)).toBe(true);
  });

  test('rejection with M estimated from a burn-in (running maximum): samples follow p_data', () => {
    const r = refineSamples(exactDiscriminator, n, { seed: 2, burnIn: 20000 });
    expect(ks(column(r.samples), P.mu, P.sd)).toBeLessThan(ksCritical(n));
    // the estimate is the largest ratio seen, never above the supremum
    expect(r.logM).toBeLessThanOrEqual(LOG_M);
    expect(r.logM).toBeGreaterThan(LOG_M - 0.01);
    expect(r.proposals).toBeGreaterThan(20000);
  });

  test('Metropolis–Hastings independence sampler: samples follow p_data ((1 − 1/M)^40 < 1e-15)', () => {
    expect((1 - Math.exp(-LOG_M)) ** 40).toBeLessThan(1e-15);
    const r = refineSamples(exactDiscriminator, n, { seed: 3, method: 'metropolis', chainLength: 40 });
    expect(ks(column(r.samples), P.mu, P.sd)).toBeLessThan(ksCritical(n));
    expect(r.proposals).toBe(n * 41);
    expect(r.stuckChains).toBe(0);
    // the chain's acceptance: E min(1, r(x')/r(x)) with x ~ p, x' ~ q — between 1/M and 1
    expect(r.acceptanceRate).toBeGreaterThan(Math.exp(-LOG_M));
    expect(r.acceptanceRate).toBeLessThan(1);
  });

  for (const d of ['kl', 'reverse-kl', 'jensen-shannon', 'pearson', 'hellinger'] as const) {
    test(`f-GAN ${d}: the optimal critic f'(p/q) inverted by logDensityRatio refines to p_data`, () => {
      const src = toySource((lp, lq) => logDensityRatio(d, optimalCritic(d, lp, lq)));
      const r = refineSamples(src, n, { seed: 4, logM: LOG_M });
      expect(ks(column(r.samples), P.mu, P.sd)).toBeLessThan(ksCritical(n));
    });
  }

  test('seeded and deterministic', () => {
    for (const method of ['rejection', 'metropolis'] as const) {
      const a = refineSamples(exactDiscriminator, 300, { seed: 7, method, chainLength: 10 });
      const b = refineSamples(exactDiscriminator, 300, { seed: 7, method, chainLength: 10 });
      const c = refineSamples(exactDiscriminator, 300, { seed: 8, method, chainLength: 10 });
      expect(column(a.samples)).toEqual(column(b.samples));
      expect(column(a.samples)).not.toEqual(column(c.samples));
      expect(a.proposals).toBe(b.proposals);
    }
  });

  test('γ-shift (DRS): γ < 0 accepts more than γ = 0', () => {
    const a = refineSamples(exactDiscriminator, 500, { seed: 9, logM: LOG_M });
    const b = refineSamples(exactDiscriminator, 500, { seed: 9, logM: LOG_M, gamma: -2 });
    expect(b.acceptanceRate).toBeGreaterThan(a.acceptanceRate);
  });
});

describe('refineSamples: bounds and typed errors', () => {
  test('collapsed acceptance: ConvergenceError with the rate once maxProposals is spent', () => {
    const tiny = toySource(() => -30);
    let err: unknown;
    try {
      refineSamples(tiny, 10, { seed: 1, logM: 0, maxProposals: 10000 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConvergenceError);
    expect((err as ConvergenceError).code).toBe('convergence');
    expect((err as Error).message).toMatch(/acceptance rate/);
    expect((err as ConvergenceError).iterations).toBe(10000);
  });
  test('every burn-in ratio 0: ConvergenceError', () => {
    expect(() => refineSamples(toySource(() => Number.NEGATIVE_INFINITY), 5, { seed: 1, burnIn: 100 })).toThrow(ConvergenceError);
  });
  test('metropolis over maxProposals, bad n, bad options, bad sources: DomainError before any proposal', () => {
    let calls = 0;
    const counting: RatioSource = { ...exactDiscriminator, propose: (c, rng) => {
        calls++;
        return exactDiscriminator.propose(c, rng);
      },
    };
    expect(() => refineSamples(counting, 100, { method: 'metropolis', chainLength: 100, maxProposals: 1000 })).toThrow(DomainError);
    expect(() => refineSamples(counting, 0)).toThrow(DomainError);
    expect(() => refineSamples(counting, 10, { chainLenght: 5 } as never)).toThrow(/chainLength/);
    expect(() => refineSamples(counting, 10, { logM: Number.POSITIVE_INFINITY })).toThrow(DomainError);
    expect(calls).toBe(0);
    expect(() => refineSamples({ dim: 1 } as never, 10)).toThrow(DomainError);
    expect(() => refineSamples(toySource(() => Number.NaN), 10, { seed: 1 })).toThrow(/log density ratio/);
    expect(() => refineSamples({ ...exactDiscriminator, logRatio: () => new Float64Array(1) }, 10, { seed: 1 })).toThrow(DomainError);
  });
});

describe('async twins and abort', () => {
  test('refineSamplesAsync gives the same samples as refineSamples (both methods)', async () => {
    for (const method of ['rejection', 'metropolis'] as const) {
      const a = refineSamples(exactDiscriminator, 500, { seed: 3, method, chainLength: 5, blockSize: 64 });
      const b = await refineSamplesAsync(exactDiscriminator, 500, { seed: 3, method, chainLength: 5, blockSize: 64 });
      expect(column(b.samples)).toEqual(column(a.samples));
      expect(b.proposals).toBe(a.proposals);
    }
  });
  test('a pre-aborted signal throws AbortError before any proposal (sync and async)', async () => {
    const c = new AbortController();
    c.abort();
    expect(() => refineSamples(exactDiscriminator, 10, { seed: 1, signal: c.signal })).toThrow(AbortError);
    await expect(refineSamplesAsync(exactDiscriminator, 10, { seed: 1, signal: c.signal })).rejects.toThrow(AbortError);
  });
  test('a timer stops refineSamplesAsync between blocks; partial = { proposals, accepted }', async () => {
    // acceptance e^-12 per proposal: ~1.6e6 proposals per sample, far more than the 20 ms before the abort
    const slow = toySource(() => -12);
    const signal = AbortSignal.timeout(20);
    const t0 = performance.now();
    let err: unknown;
    try {
      await refineSamplesAsync(slow, 10, { seed: 1, logM: 0, maxProposals: 1e9, blockSize: 1000, signal });
    } catch (e) {
      err = e;
    }
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(AbortError);
    const partial = (err as AbortError).partial as { proposals: number; accepted: number };
    expect(partial.proposals).toBeGreaterThan(0);
    expect(partial.accepted).toBeLessThan(10);
    // generous latency bound on a loaded machine (the driver yields every 50 ms)
    expect(ms).toBeLessThan(5000);
  });
});

describe('GANModel: density ratio of the critic, calibration, sampleRefined', () => {
  const rng = createRng(11);
  const data = Array.from({ length: 200 }, () => [rng.normal(), 0.5 * rng.normal() + 1]);
  const tiny = { steps: 3, generatorHidden: [8], criticHidden: [8], batchSize: 16, seed: 1 };
  const grid = [
    [0, 0],
    [1, 2],
    [-0.5, 1],
    [2, -1],
  ];

  test('minimax / non-saturating: log r = logit D (= t)', () => {
    for (const objective of ['minimax', 'non-saturating'] as const) {
      const m = trainGAN(data, { ...tiny, objective });
      const D = m.discriminate(grid);
      const lr = m.logDensityRatio(grid);
      for (let i = 0; i < grid.length; i++) expect(Math.abs(lr[i]! - Math.log(D[i]! / (1 - D[i]!)))).toBeLessThan(1e-10);
    }
  });

  test('f-GAN: log r = logDensityRatio(d, g_f(t)) for every invertible divergence', () => {
    for (const divergence of ['kl', 'reverse-kl', 'jensen-shannon', 'pearson', 'hellinger'] as const) {
      const m = trainGAN(data, { ...tiny, objective: 'f-gan', divergence });
      const T = m.discriminate(grid);
      const lr = m.logDensityRatio(grid);
      for (let i = 0; i < grid.length; i++) {
        if (divergence === 'pearson' && T[i]! <= -2) expect(lr[i]).toBe(Number.NEGATIVE_INFINITY);
        else expect(Math.abs(lr[i]! - logDensityRatio(divergence, T[i]!))).toBeLessThan(1e-9);
      }
    }
  });

  test('WGAN, total variation and packed critics give no ratio: DomainError (also for calibrationSteps)', () => {
    const cases = [
      { objective: 'wgan' as const, nCritic: 1 },
      { objective: 'f-gan' as const, divergence: 'total-variation' as const },
      { objective: 'non-saturating' as const, pack: 2 },
    ];
    for (const c of cases) {
      const m = trainGAN(data, { ...tiny, ...c });
      expect(m.densityRatioUnavailable).toMatch(/ratio/);
      expect(() => m.logDensityRatio(grid)).toThrow(DomainError);
      expect(() => m.sampleRefined(10, { seed: 1 })).toThrow(DomainError);
      expect(() => trainGAN(data, { ...tiny, ...c, calibrationSteps: 5 })).toThrow(/calibrationSteps/);
    }
    expect(trainGAN(data, tiny).densityRatioUnavailable).toBeNull();
  });

  test('calibration trains the critic only: the generator, its samples and the losses are unchanged', () => {
    const a = trainGAN(data, { ...tiny, objective: 'minimax' });
    const b = trainGAN(data, { ...tiny, objective: 'minimax', calibrationSteps: 20, calibrationLr: 1e-2 });
    expect(b.sample(50, { seed: 3 }).to2DArray()).toEqual(a.sample(50, { seed: 3 }).to2DArray());
    expect(Array.from(b.losses.critic)).toEqual(Array.from(a.losses.critic));
    expect(Array.from(b.discriminate(grid))).not.toEqual(Array.from(a.discriminate(grid)));
    expect(b.report.iterations).toBe(3);
  });

  test('sampleRefinedAsync = sampleRefined (standardised model, both methods)', async () => {
    const m = trainGAN(data, { ...tiny, standardize: true, calibrationSteps: 5 });
    for (const method of ['rejection', 'metropolis'] as const) {
      const a = m.sampleRefined(20, { seed: 4, method, chainLength: 3, burnIn: 100 });
      const b = await m.sampleRefinedAsync(20, { seed: 4, method, chainLength: 3, burnIn: 100 });
      expect(b.samples.to2DArray()).toEqual(a.samples.to2DArray());
    }
    await expect(trainGAN(data, { ...tiny, objective: 'wgan', nCritic: 1 }).sampleRefinedAsync(5)).rejects.toThrow(DomainError);
  });

  test('sampleRefined: deterministic, the same after a JSON round trip, rows of dataDim', () => {
    const m = trainGAN(data, { ...tiny, calibrationSteps: 10 });
    for (const method of ['rejection', 'metropolis'] as const) {
      const a = m.sampleRefined(40, { seed: 5, method, chainLength: 5, burnIn: 200 });
      const b = GANModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON()))).sampleRefined(40, { seed: 5, method, chainLength: 5, burnIn: 200 });
      expect(a.samples.rows).toBe(40);
      expect(a.samples.columns).toBe(2);
      expect(a.samples.to2DArray()).toEqual(b.samples.to2DArray());
    }
  });

  test('sampleRefined with standardize returns samples in the data units (a·x + b of the same model)', () => {
    const a = [250, 0.01];
    const b = [1000, -3];
    const scaled = data.map((r) => r.map((v, j) => a[j]! * v + b[j]!));
    const o = { ...tiny, standardize: true, calibrationSteps: 5 };
    const m0 = trainGAN(data, o);
    const m1 = trainGAN(scaled, o);
    const r0 = m0.sampleRefined(30, { seed: 2, burnIn: 100 }).samples.to2DArray();
    const r1 = m1.sampleRefined(30, { seed: 2, burnIn: 100 }).samples.to2DArray();
    const s0 = m0.sample(30, { seed: 2 }).to2DArray();
    for (let i = 0; i < 30; i++) {
      for (let j = 0; j < 2; j++) expect(Math.abs(r1[i]![j]! - (a[j]! * r0[i]![j]! + b[j]!)) / a[j]!).toBeLessThan(1e-8);
    }
    // the refined draw is not the raw one (the critic rejected some proposals)
    expect(r0).not.toEqual(s0);
  });

  test('calibration moves a 1-D critic to the true log ratio of an affine generator (closed form)', () => {
    // generator G(z) = w z + b (no hidden layer): p_g = N(b, w²) exactly; data N(0.5, 1)
    const r = createRng(21);
    const x = Array.from({ length: 4000 }, () => [0.5 + r.normal()]);
    const common = { steps: 1, latentDim: 1, generatorHidden: [], criticHidden: [16], activation: 'tanh' as const, lrGenerator: 1e-12, seed: 2 };
    const before = trainGAN(x, { ...common, objective: 'minimax' });
    const after = trainGAN(x, { ...common, objective: 'minimax', calibrationSteps: 1500, calibrationLr: 1e-2, calibrationBatchSize: 256 });
    // p_g from samples of the (linear) generator: mean and sd are exact up to the sampling error of 20,000 draws
    const s = after.sample(20000, { seed: 1 }).to1DArray();
    const mg = s.reduce((t, v) => t + v, 0) / s.length;
    const sg = Math.sqrt(s.reduce((t, v) => t + (v - mg) ** 2, 0) / s.length);
    // points where p_g has mass (within 2.1 of its sd ≈ 0.475): in its far tail the critic sees few generated samples
    const xs = [-1, -0.5, 0, 0.5, 1].map((v) => [v]);
    const truth = xs.map(([v]) => logNormal(v!, 0.5, 1) - logNormal(v!, mg, sg));
    const err = (m: GANModel) => Math.max(...Array.from(m.logDensityRatio(xs), (v, i) => Math.abs(v - truth[i]!)));
    // measured: 0.07 after 1,500 steps, 1.18 before (the critic at the end of training)
    expect(err(after)).toBeLessThan(0.15);
    expect(err(before)).toBeGreaterThan(0.5);
  });
});
