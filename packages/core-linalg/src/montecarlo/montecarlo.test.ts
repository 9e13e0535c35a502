import { describe, expect, test } from 'vitest';
import { createRng, type Rng, sampleExponential } from '../random/index.js';
import { hitOrMiss, importanceSampling, type MonteCarloEstimate, monteCarlo, uniformVolume } from './index.js';

const R = 400; // independent repetitions per statistical check

/**
 * Runs an estimator R times and checks, with tolerances from the sampling error:
 * unbiasedness (mean of estimates within 4 SE of the truth), the 1/√N standard-error formula (the
 * empirical sd of the estimates equals `trueSe`, and the reported SEs average to it), and coverage of
 * the ±2 SE interval.
 */
function checkEstimator(run: (rng: Rng) => MonteCarloEstimate, truth: number, trueSe: number, seed: number) {
  const root = createRng(seed);
  const est = new Float64Array(R);
  const se = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    const out = run(root.split());
    est[r] = out.estimate;
    se[r] = out.standardError;
  }
  const mean = est.reduce((s, v) => s + v, 0) / R;
  let m2 = 0;
  let m4 = 0;
  for (const v of est) {
    m2 += (v - mean) ** 2;
    m4 += (v - mean) ** 4;
  }
  const sd = Math.sqrt(m2 / (R - 1));
  const kurt = m4 / R / (m2 / R) ** 2;
  expect(Math.abs(mean - truth)).toBeLessThan(4 * (trueSe / Math.sqrt(R)));
  expect(Math.abs(sd - trueSe)).toBeLessThan(4 * trueSe * Math.sqrt((kurt - 1) / (4 * R)));
  const meanSe = se.reduce((s, v) => s + v, 0) / R;
  const sdSe = Math.sqrt(se.reduce((s, v) => s + (v - meanSe) ** 2, 0) / (R - 1));
  expect(Math.abs(meanSe - trueSe)).toBeLessThan(4 * (sdSe / Math.sqrt(R)) + 0.02 * trueSe);
  let covered = 0;
  for (let r = 0; r < R; r++) if (Math.abs((est[r] as number) - truth) <= 2 * (se[r] as number)) covered++;
  expect(Math.abs(covered / R - 0.9545)).toBeLessThan(4 * Math.sqrt((0.9545 * 0.0455) / R) + 0.01);
}

/** Composite Simpson rule on [a, b] with 2k intervals (the independent quadrature reference). */
function simpson(g: (x: number) => number, a: number, b: number, k = 20_000): number {
  const h = (b - a) / (2 * k);
  let s = g(a) + g(b);
  for (let i = 1; i < 2 * k; i++) s += (i % 2 ? 4 : 2) * g(a + i * h);
  return (s * h) / 3;
}

const logNormal = (x: number, mu: number, sd: number) => -0.5 * ((x - mu) / sd) ** 2 - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);

describe('Monte-Carlo estimation: plain estimator', () => {
  test('E[x²] = 1 for x ~ N(0,1): unbiased, SE = √(Var f / N) = √(2/100)', () => {
    checkEstimator((rng) => monteCarlo((x: number) => x * x, (r) => r.normal(), 100, rng), 1, Math.sqrt(2 / 100), 1);
  });

  test('the standard error falls as 1/√N (N = 100 vs 1600: ratio 4)', () => {
    const a = monteCarlo((x: number) => x, (r) => r.uniform(), 100_000, createRng(2));
    const b = monteCarlo((x: number) => x, (r) => r.uniform(), 1_600_000 / 16, createRng(3));
    const small = monteCarlo((x: number) => x, (r) => r.uniform(), 100, createRng(4));
    const big = monteCarlo((x: number) => x, (r) => r.uniform(), 1600, createRng(4));
    // relative sd of a sample-sd estimate is √((κ − 1)/(4N)), κ = 9/5 for U(0, 1): 4 of those, not a fixed 2 %
    expect(Math.abs(a.standardError - Math.sqrt(1 / 12 / 100_000)) / a.standardError).toBeLessThan(4 * Math.sqrt((9 / 5 - 1) / (4 * 100_000)));
    expect(Math.abs(b.estimate - 0.5)).toBeLessThan(4 * b.standardError);
    // log of the SE ratio has sd √((κ − 1)/(4·100) + (κ − 1)/(4·1600)) (delta method, κ = 9/5): within 4 of those of log 4
    const tolLog = 4 * Math.sqrt((9 / 5 - 1) / (4 * 100) + (9 / 5 - 1) / (4 * 1600));
    expect(Math.abs(Math.log(small.standardError / big.standardError / 4))).toBeLessThan(tolLog);
  });
});

describe('Monte-Carlo estimation: importance sampling', () => {
  const logP = (x: number) => logNormal(x, 3, 1);
  const logQ = (x: number) => logNormal(x, 0, 2);
  const sampleQ = (r: Rng) => 2 * r.normal();
  // Var_q[w f] = ∫ p² x² / q dx − I², by quadrature
  const varWf = simpson((x) => Math.exp(2 * logP(x) - logQ(x)) * x * x, -30, 30) - 9;

  test('E_p[x] = 3 for p = N(3,1) from q = N(0,2²): unbiased with SE = √(Var_q[w f]/N)', () => {
    checkEstimator((rng) => importanceSampling((x: number) => x, logP, sampleQ, logQ, 200, rng), 3, Math.sqrt(varWf / 200), 5);
  });

  test("the notes' integral estimator ∫ f dx = E_q[f/q] (logTarget ≡ 0): ∫₀^∞ x² e^{−x} dx = 2", () => {
    checkEstimator(
      (rng) =>
        importanceSampling(
          (x: number) => x * x * Math.exp(-x),
          () => 0,
          (r) => sampleExponential(r, 1),
          (x) => -x,
          2000, // x² under Exp(1) is very skewed: N large enough for the ±2 SE coverage check
          rng,
        ),
      2,
      Math.sqrt((24 - 4) / 2000), // Var_q[x²] = E[x⁴] − 4 = 24 − 4
      6,
    );
  });

  test('self-normalised IS with an unnormalised target recovers E_p[x] = 3; ESS ≤ N', () => {
    const out = importanceSampling((x: number) => x, (x) => -0.5 * (x - 3) ** 2 + 40, sampleQ, logQ, 50_000, createRng(7), {
      selfNormalized: true,
    });
    expect(Math.abs(out.estimate - 3)).toBeLessThan(4 * out.standardError);
    expect(out.ess).toBeGreaterThan(1);
    expect(out.ess).toBeLessThanOrEqual(50_000);
    // delta-method SE matches the spread over repetitions within 25 %
    const root = createRng(8);
    const reps = Array.from({ length: 200 }, () =>
      importanceSampling((x: number) => x, (x) => -0.5 * (x - 3) ** 2, sampleQ, logQ, 400, root.split(), { selfNormalized: true }),
    );
    const m = reps.reduce((s, v) => s + v.estimate, 0) / reps.length;
    const sd = Math.sqrt(reps.reduce((s, v) => s + (v.estimate - m) ** 2, 0) / (reps.length - 1));
    const meanSe = reps.reduce((s, v) => s + v.standardError, 0) / reps.length;
    expect(Math.abs(meanSe / sd - 1)).toBeLessThan(0.25);
  });
});

describe('Monte-Carlo estimation: uniform-volume and hit-or-miss', () => {
  test('∫₀^π sin x dx = 2 with p = 1/V: SE = √((π²/2 − 4)/N)', () => {
    checkEstimator(
      (rng) => uniformVolume((x) => Math.sin(x[0] as number), [0], [Math.PI], 100, rng),
      2,
      Math.sqrt((Math.PI ** 2 / 2 - 4) / 100),
      9,
    );
  });

  test('∫_{[0,1]³} xyz = 1/8', () => {
    const out = uniformVolume((x) => (x[0] as number) * (x[1] as number) * (x[2] as number), [0, 0, 0], [1, 1, 1], 40_000, createRng(10));
    expect(Math.abs(out.estimate - 1 / 8)).toBeLessThan(4 * out.standardError);
  });

  test('area of the unit disk = π by hit-or-miss: SE = 4√(p(1−p)/N), p = π/4', () => {
    const p = Math.PI / 4;
    checkEstimator(
      (rng) => hitOrMiss((x) => (x[0] as number) ** 2 + (x[1] as number) ** 2 < 1, [-1, -1], [1, 1], 400, rng),
      Math.PI,
      4 * Math.sqrt((p * (1 - p)) / 400),
      11,
    );
  });
});

describe('Monte-Carlo estimation: bad input → typed errors', () => {
  const rng = createRng(1);
  test.each([
    ['n < 2', () => monteCarlo((x: number) => x, (r) => r.uniform(), 1, rng), 'domain'],
    ['NaN integrand', () => monteCarlo(() => Number.NaN, (r) => r.uniform(), 10, rng), 'non-finite'],
    ['IS: logProposal −∞', () => importanceSampling((x: number) => x, () => 0, (r) => r.uniform(), () => Number.NEGATIVE_INFINITY, 10, rng), 'non-finite'],
    ['IS: all weights 0', () => importanceSampling((x: number) => x, () => Number.NEGATIVE_INFINITY, (r) => r.uniform(), () => 0, 10, rng), 'domain'],
    ['volume: empty box', () => uniformVolume(() => 1, [], [], 10, rng), 'shape'],
    ['volume: upper ≤ lower', () => uniformVolume(() => 1, [0, 1], [1, 1], 10, rng), 'domain'],
    ['volume: mismatched bounds', () => hitOrMiss(() => true, [0, 0], [1], 10, rng), 'shape'],
    ['volume: Infinity bound', () => hitOrMiss(() => true, [0], [Number.POSITIVE_INFINITY], 10, rng), 'non-finite'],
  ])('%s', (_name, fn, code) => {
    expect(fn).toThrow(expect.objectContaining({ code }));
  });

  test('bounds arrays are not modified', () => {
    const lo = [0, 0];
    const hi = [1, 2];
    hitOrMiss(() => true, lo, hi, 10, rng);
    uniformVolume(() => 1, lo, hi, 10, rng);
    expect(lo).toEqual([0, 0]);
    expect(hi).toEqual([1, 2]);
  });
});
