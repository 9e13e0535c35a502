import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { fitHMM } from './baumWelch.js';
import { estimateHMM } from './estimate.js';
import { createGaussianHMM, createHMM, HMM } from './hmm.js';

const hmm = () =>
  createHMM({
    initial: [0.6, 0.3, 0.1],
    transition: [
      [0.7, 0.2, 0.1],
      [0.3, 0.5, 0.2],
      [0.25, 0.25, 0.5],
    ],
    emission: [
      [0.5, 0.4, 0.1],
      [0.1, 0.3, 0.6],
      [0.3, 0.3, 0.4],
    ],
  });

const m3 = hmm;

/** A copy of `xs` with a hole (an empty slot) at index i. */
function withHole<T>(xs: T[], i: number): T[] {
  const a = new Array<T>(xs.length);
  xs.forEach((v, j) => {
    if (j !== i) a[j] = v;
  });
  return a;
}

/** Enumerates p(x, y) = π_{y0} B_{y0 x0} Π A_{y(t-1) yt} B_{yt xt} directly from the probabilities. */
function enumerate(m: HMM, logEmit: (t: number, k: number) => number, T: number) {
  const K = m.K;
  const joint: { y: number[]; p: number }[] = [];
  for (let c = 0; c < K ** T; c++) {
    const y: number[] = [];
    let r = c;
    for (let t = 0; t < T; t++) {
      y.unshift(r % K);
      r = Math.floor(r / K);
    }
    let p = m.initial[y[0]] * Math.exp(logEmit(0, y[0]));
    for (let t = 1; t < T; t++) p *= m.transition[y[t - 1] * K + y[t]] * Math.exp(logEmit(t, y[t]));
    joint.push({ y, p });
  }
  const px = joint.reduce((s, j) => s + j.p, 0);
  const post = Array.from({ length: T }, () => new Float64Array(K));
  const pair = Array.from({ length: T - 1 }, () => new Float64Array(K * K));
  let best = joint[0];
  for (const j of joint) {
    if (j.p > best.p) best = j;
    j.y.forEach((k, t) => {
      post[t][k] += j.p / px;
      if (t > 0) pair[t - 1][j.y[t - 1] * K + k] += j.p / px;
    });
  }
  return { px, post, pair, best };
}

describe('HMM: log-space forward–backward vs brute-force sums', () => {
  test('discrete: log p(x), posteriors, pairwise marginals and Viterbi equal enumeration', () => {
    const m = hmm();
    const x = [0, 2, 1, 2, 2, 0];
    const B = [
      [0.5, 0.4, 0.1],
      [0.1, 0.3, 0.6],
      [0.3, 0.3, 0.4],
    ];
    const e = enumerate(m, (t, k) => Math.log(B[k][x[t]]), x.length);
    expect(m.logLikelihood(x)).toBeCloseTo(Math.log(e.px), 12);
    const g = m.posteriors(x);
    const xi = m.pairwiseMarginals(x);
    for (let t = 0; t < x.length; t++) {
      for (let k = 0; k < 3; k++) expect(g.get(t, k)).toBeCloseTo(e.post[t][k], 12);
      if (t > 0) for (let k = 0; k < 9; k++) expect(xi[t - 1].get(Math.floor(k / 3), k % 3)).toBeCloseTo(e.pair[t - 1][k], 12);
    }
    const v = m.viterbi(x);
    expect(Array.from(v.path)).toEqual(e.best.y);
    expect(v.logProbability).toBeCloseTo(Math.log(e.best.p), 12);
  });

  test('Gaussian emissions: log p(x) and posteriors equal enumeration', () => {
    const m = createGaussianHMM({
      initial: [0.5, 0.5],
      transition: [
        [0.9, 0.1],
        [0.2, 0.8],
      ],
      means: [[-1, 0], [2, 1]],
      variances: [[1, 0.5], [0.7, 2]],
    });
    const x = [[0.1, 0.2], [1.5, 1], [-0.3, -0.4], [2.2, 0.9], [0.5, 0.5]];
    const logN = (v: number, mu: number, s2: number) => -0.5 * Math.log(2 * Math.PI * s2) - ((v - mu) ** 2) / (2 * s2);
    const mu = [[-1, 0], [2, 1]];
    const va = [[1, 0.5], [0.7, 2]];
    const e = enumerate(m, (t, k) => logN(x[t][0], mu[k][0], va[k][0]) + logN(x[t][1], mu[k][1], va[k][1]), x.length);
    expect(m.logLikelihood(x)).toBeCloseTo(Math.log(e.px), 12);
    const g = m.posteriors(x);
    for (let t = 0; t < x.length; t++) for (let k = 0; k < 2; k++) expect(g.get(t, k)).toBeCloseTo(e.post[t][k], 12);
  });

  test('sample(T, rng): seeded, reproducible, and transition frequencies match A (5σ)', () => {
    const m = hmm();
    const { states, observations } = m.sample(30_000, createRng(11));
    expect(Array.from(m.sample(20, createRng(5)).states)).toEqual(Array.from(m.sample(20, createRng(5)).states));
    const from = new Float64Array(3);
    const cnt = new Float64Array(9);
    for (let t = 1; t < states.length; t++) {
      from[states[t - 1]]++;
      cnt[states[t - 1] * 3 + states[t]]++;
    }
    for (let k = 0; k < 9; k++) {
      const p = m.transition[k];
      const n = from[Math.floor(k / 3)];
      expect(Math.abs(cnt[k] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(observations.length).toBe(30_000);
  });

  test('a 100,000-step sequence: finite log-likelihood, posteriors sum to 1', () => {
    const m = hmm();
    const { observations } = m.sample(100_000, createRng(1));
    const ll = m.logLikelihood(observations);
    expect(Number.isFinite(ll)).toBe(true);
    const g = m.posteriors(observations);
    let worst = 0;
    for (let t = 0; t < 100_000; t += 1) worst = Math.max(worst, Math.abs(g.get(t, 0) + g.get(t, 1) + g.get(t, 2) - 1));
    expect(worst).toBeLessThan(1e-12);
  });

  test('toJSON/fromJSON round-trips exactly', () => {
    const m = hmm();
    const r = HMM.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(r.logLikelihood([0, 1, 2])).toBe(m.logLikelihood([0, 1, 2]));
    expect(r.toJSON()).toEqual(m.toJSON());
  });

  test('Gaussian re-estimation whose variance overflows names the caller and its data', () => {
    const g = createGaussianHMM({ initial: [1], transition: [[1]], means: [[0]], variances: [[1]] });
    const x = [1e200, -1e200];
    expect(() => estimateHMM([{ observations: x, states: [0, 0] }], { states: 1, emission: 'gaussian' })).toThrow(
      expect.objectContaining({ code: 'non-finite', message: expect.stringMatching(/^estimateHMM: .*'data'/) }),
    );
    // |x| = 1.2e154: the log-likelihood is finite, but Σ x² = 2.9e308 overflows
    expect(() => fitHMM([[1.2e154, 1.2e154]], { init: g })).toThrow(expect.objectContaining({ code: 'non-finite', message: expect.stringMatching(/^fitHMM: .*'sequences'/) }));
  });

  test('bad input gives typed errors', () => {
    const m = hmm();
    expect(() => m.logLikelihood([])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => m.logLikelihood([0, 3])).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => m.logLikelihood([0, 0.5])).toThrow(expect.objectContaining({ code: 'domain' }));
    const bad = { initial: [0.5, 0.5], transition: [[0.5, 0.6], [0.5, 0.5]], emission: [[1], [1]] };
    expect(() => createHMM(bad)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createHMM({ ...bad, transition: [[1, 0]] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => createHMM({ ...bad, transition: [[1, 0], [0, 1]], emission: [[1]] })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() =>
      createGaussianHMM({ initial: [1], transition: [[1]], means: [[0]], variances: [[0]] }),
    ).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => m.sample(0, createRng(1))).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('a transition matrix with a hole (a missing row) is rejected (it passed the rows-sum-to-1 check: forEach skipped it)', () => {
    // before the fix: accepted, row 1 all zeros, logLikelihood([0, 0, 0]) = -0.693 instead of an error
    const holey = withHole([[0.5, 0.5, 0], [], [0, 0, 1]], 1);
    const params = { initial: [0.5, 0.25, 0.25], transition: holey, emission: [[1], [1], [1]] };
    expect(() => createHMM(params)).toThrow(expect.objectContaining({ code: 'shape', message: expect.stringMatching(/^createHMM: argument 'transition' has a hole at row \[1\]/) }));
    expect(() => createGaussianHMM({ initial: [0.5, 0.25, 0.25], transition: holey, means: [[0], [1], [2]], variances: [[1], [1], [1]] })).toThrow(
      expect.objectContaining({ code: 'shape' }),
    );
    expect(() => HMM.fromJSON({ kind: 'hmm', version: 1, initial: [0.5, 0.25, 0.25], transition: holey, emission: { kind: 'discrete', emission: [[1], [1], [1]] } })).toThrow(
      expect.objectContaining({ code: 'shape' }),
    );
    // holes elsewhere: an emission row, π, an observation (were TypeErrors)
    expect(() => createHMM({ initial: [0.5, 0.25, 0.25], transition: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], emission: withHole([[1], [], [1]], 1) })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => createHMM({ initial: withHole([0.5, 0, 0.5], 1), transition: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], emission: [[1], [1], [1]] })).toThrow(expect.objectContaining({ code: 'shape' }));
    const g = createGaussianHMM({ initial: [0.5, 0.5], transition: [[1, 0], [0, 1]], means: [[0], [1]], variances: [[1], [1]] });
    expect(() => g.logLikelihood(withHole([0, 0, 2], 1))).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => m3().logLikelihood(withHole([0, 0, 2], 1))).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
