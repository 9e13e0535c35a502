import { AbortError, createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { fitHMM, fitHMMAsync, randomHMM } from './baumWelch.js';
import { estimateHMM } from './estimate.js';
import { createGaussianHMM, createHMM, HMM } from './hmm.js';

const truth = () =>
  createHMM({
    initial: [0.5, 0.5],
    transition: [
      [0.9, 0.1],
      [0.15, 0.85],
    ],
    emission: [
      [0.7, 0.2, 0.1],
      [0.05, 0.25, 0.7],
    ],
  });

/** Best match of learned to true states (K = 2: identity or swap). */
function aligned(learned: Float64Array, K: number, swap: boolean, i: number, j: number) {
  const p = swap ? [1, 0] : [0, 1];
  return learned[p[i] * K + p[j]];
}

describe('HMM: Baum–Welch (EM)', () => {
  test('log-likelihood never decreases and parameters are recovered up to permutation', () => {
    const m = truth();
    const rng = createRng(2024);
    const seqs = Array.from({ length: 40 }, () => m.sample(250, rng).observations as number[]);
    const fit = fitHMM(seqs, { init: randomHMM({ states: 2, symbols: 3, rng: createRng(9) }), maxIterations: 300, tol: 1e-10 });
    const tr = fit.report.trace ?? [];
    for (let k = 1; k < tr.length; k++) expect(tr[k]).toBeGreaterThanOrEqual(tr[k - 1] - 1e-8 * Math.abs(tr[k - 1]));
    expect(fit.report.converged).toBe(true);
    const A = fit.transition;
    const swap = Math.abs(A[0] - 0.9) > Math.abs(A[3] - 0.9);
    // 10,000 draws: the standard error of an MLE transition probability is ≈ sqrt(p(1−p)/n_i) ≈ 0.005;
    // EM on a 2-state model with these emissions adds identifiability slack, so 0.05 is generous but falsifiable
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) expect(Math.abs(aligned(A, 2, swap, i, j) - m.transition[i * 2 + j])).toBeLessThan(0.05);
    const learnedB = fit.toJSON().emission;
    const trueB = m.toJSON().emission;
    if (learnedB.kind !== 'discrete' || trueB.kind !== 'discrete') throw new Error('kinds');
    for (let k = 0; k < 2; k++) {
      const lk = swap ? 1 - k : k;
      for (let o = 0; o < 3; o++) expect(Math.abs(learnedB.emission[lk][o] - trueB.emission[k][o])).toBeLessThan(0.05);
    }
    // the fitted model explains the data at least as well as the truth (MLE)
    const llTrue = seqs.reduce((s, x) => s + m.logLikelihood(x), 0);
    expect(tr[tr.length - 1]).toBeGreaterThanOrEqual(llTrue - 1e-6);
  });

  test('Gaussian emissions: monotone trace and recovered means', () => {
    const m = createGaussianHMM({
      initial: [0.5, 0.5],
      transition: [
        [0.95, 0.05],
        [0.1, 0.9],
      ],
      means: [[-2], [3]],
      variances: [[1], [0.5]],
    });
    const rng = createRng(77);
    const seqs = Array.from({ length: 10 }, () => m.sample(300, rng).observations as number[]);
    const init = createGaussianHMM({ initial: [0.5, 0.5], transition: [[0.5, 0.5], [0.5, 0.5]], means: [[0], [1]], variances: [[4], [4]] });
    const fit = fitHMM(seqs, { init, maxIterations: 200 });
    const tr = fit.report.trace ?? [];
    for (let k = 1; k < tr.length; k++) expect(tr[k]).toBeGreaterThanOrEqual(tr[k - 1] - 1e-8 * Math.abs(tr[k - 1]));
    const e = fit.toJSON().emission;
    if (e.kind !== 'gaussian') throw new Error('kind');
    const means = e.means.map((r) => r[0]).sort((a, b) => a - b);
    // 3000 points, σ ≤ 1: standard error of each mean ≈ 0.03
    expect(Math.abs(means[0] + 2)).toBeLessThan(0.15);
    expect(Math.abs(means[1] - 3)).toBeLessThan(0.15);
  });

  test('abort signal stops the fit with a typed error', () => {
    const ctrl = new AbortController();
    ctrl.abort();
    expect(() => fitHMM([[0, 1]], { init: truth(), signal: ctrl.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
  });
});

describe('HMM: supervised estimation with smoothing', () => {
  test('equals hand counts with add-α smoothing', () => {
    const data = [
      { observations: [0, 1, 1], states: [0, 0, 1] },
      { observations: [2, 1], states: [1, 1] },
    ];
    const m = estimateHMM(data, { states: 2, symbols: 3, smoothing: 0.5 });
    // π: counts (1, 1) + 0.5 → (0.5, 0.5); A row 0: (1, 1) + 0.5 → 0.5/0.5; row 1: (0, 1) + 0.5 → (0.25, 0.75)
    expect(Array.from(m.initial)).toEqual([0.5, 0.5]);
    expect(m.transition[2]).toBeCloseTo(0.25, 14);
    expect(m.transition[3]).toBeCloseTo(0.75, 14);
    // B row 0: symbol counts (1, 1, 0) + 0.5 → (1.5, 1.5, 0.5)/3.5; row 1: (0, 2, 1) + 0.5 → (0.5, 2.5, 1.5)/4.5
    const B = m.toJSON().emission;
    if (B.kind !== 'discrete') throw new Error('kind');
    expect(B.emission[0][2]).toBeCloseTo(0.5 / 3.5, 14);
    expect(B.emission[1][1]).toBeCloseTo(2.5 / 4.5, 14);
  });

  test('Gaussian emissions: per-state sample mean and (ML) variance', () => {
    const m = estimateHMM(
      [
        { observations: [1, 3, 10], states: [0, 0, 1] },
        { observations: [12, 2], states: [1, 0] },
      ],
      { states: 2, emission: 'gaussian', smoothing: 0 },
    );
    const e = m.toJSON().emission;
    if (e.kind !== 'gaussian') throw new Error('kind');
    // state 0: {1, 3, 2} → mean 2, variance 2/3; state 1: {10, 12} → mean 11, variance 1
    expect(e.means[0][0]).toBeCloseTo(2, 14);
    expect(e.variances[0][0]).toBeCloseTo(2 / 3, 14);
    expect(e.means[1][0]).toBeCloseTo(11, 14);
    expect(e.variances[1][0]).toBeCloseTo(1, 14);
    // transitions 0→0, 0→1, 1→0 with no smoothing
    expect(Array.from(m.transition)).toEqual([0.5, 0.5, 1, 0]);
  });

  test('mismatched lengths and out-of-range ids are typed errors', () => {
    expect(() => estimateHMM([{ observations: [0, 1], states: [0] }], { states: 2, symbols: 2 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => estimateHMM([{ observations: [0, 1], states: [0, 2] }], { states: 2, symbols: 2 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => estimateHMM([{ observations: [0, 5], states: [0, 1] }], { states: 2, symbols: 2 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => estimateHMM([], { states: 2, symbols: 2 })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => estimateHMM([{ observations: [], states: [] }], { states: 2, emission: 'gaussian' })).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => estimateHMM([{ observations: [0, 1], states: [0, 1] }], { states: 2 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });
});

describe('HMM: fitHMM returns the HMM with a FitReport; fitHMMAsync runs the same loop', () => {
  const data = () => {
    const rng = createRng(5);
    return Array.from({ length: 8 }, () => truth().sample(120, rng).observations as number[]);
  };
  const init = () => randomHMM({ states: 2, symbols: 3, seed: 4 });

  test('report: converged (criterion tol) or max-iterations; trace = log-likelihood of every iterate', () => {
    const m = fitHMM(data(), { init: init() });
    expect(Object.isFrozen(m)).toBe(true);
    expect(m.report).toMatchObject({ converged: true, reason: 'converged', criterion: 'tol' });
    expect(m.report.trace).toHaveLength(m.report.iterations + 1);
    expect(m.report.evaluations).toBe(m.report.iterations + 1);
    // the last trace entry is the log-likelihood of the returned model
    const ll = data().reduce((s, x) => s + m.logLikelihood(x), 0);
    expect(m.report.trace?.at(-1)).toBeCloseTo(ll, 8);
    // immutable: writing into the parameter arrays it hands out changes neither its inference nor its JSON
    const json = JSON.stringify(m.toJSON());
    const x0 = data()[0] as number[];
    const before = { ll: m.logLikelihood(x0), path: Array.from(m.viterbi(x0).path) };
    m.initial.fill(0);
    m.transition.fill(0);
    m.logInitial.fill(Number.NaN);
    m.logTransition.fill(Number.NaN);
    expect(JSON.stringify(m.toJSON())).toBe(json);
    expect(m.logLikelihood(x0)).toBe(before.ll);
    expect(Array.from(m.viterbi(x0).path)).toEqual(before.path);
    const capped = fitHMM(data(), { init: init(), maxIterations: 3 });
    expect(capped.report).toMatchObject({ converged: false, reason: 'max-iterations', iterations: 3 });
    const seen: number[] = [];
    fitHMM(data(), { init: init(), maxIterations: 3, onProgress: (p) => seen.push(p.objective - p.logLikelihood, p.elapsedMs >= 0 ? 0 : 1) });
    expect(seen.every((v) => v === 0)).toBe(true);
  });

  test('seed and rng give the same random HMM; both together are rejected; unknown options name the closest key', () => {
    expect(randomHMM({ states: 2, symbols: 3, seed: 7 }).toJSON()).toEqual(randomHMM({ states: 2, symbols: 3, rng: createRng(7) }).toJSON());
    expect(() => randomHMM({ states: 2, symbols: 3, seed: 7, rng: createRng(7) })).toThrow(/either option 'seed' or option 'rng'/);
    expect(() => fitHMM(data(), { init: init(), maxIteration: 3 } as never)).toThrow(/unknown option 'maxIteration'; did you mean 'maxIterations'/);
    expect(() => fitHMM(data(), {} as never)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringContaining("'init'") }));
  });

  test('fitHMMAsync gives the same model; an abort from setTimeout rejects with the current parameters', async () => {
    const strip = (m: HMM) => ({ ...m.toJSON(), report: { ...m.report, elapsedMs: 0 } });
    expect(strip(await fitHMMAsync(data(), { init: init() }))).toEqual(strip(fitHMM(data(), { init: init() })));
    const rng = createRng(11);
    const long = Array.from({ length: 40 }, () => truth().sample(2000, rng).observations as number[]);
    const c = new AbortController();
    let fired = 0;
    let iteration = 0;
    const p = fitHMMAsync(long, { init: init(), tol: 0, maxIterations: 100_000, signal: c.signal, onProgress: (q) => { iteration = q.iteration; } });
    setTimeout(() => {
      fired = performance.now();
      c.abort();
    }, 200);
    const err = await p.catch((e: unknown) => e);
    const latency = performance.now() - fired;
    expect(err).toBeInstanceOf(AbortError);
    const partial = (err as AbortError).partial as HMM;
    expect(partial).toBeInstanceOf(HMM);
    expect(partial.report?.reason).toBe('aborted');
    expect(partial.report?.iterations).toBeGreaterThanOrEqual(iteration);
    console.log(`fitHMMAsync (40 × 2,000 observations): abort latency ${latency.toFixed(1)} ms after ${iteration} iterations`);
    expect(latency).toBeLessThan(3000);
  });
});
