// Issue 15 fixes for fitGP and the kernels, each written to fail on the code before the fix.
import { describe, expect, test } from 'vitest';
import { type Hyperparameter, LeafKernel, type Points, constant, matern, periodic, product, rbf, scale, sum, white } from '../kernels/index.js';
import { makeParam } from '../kernels/kernel.js';
import { GPModel, fitGP, fitGPAsync } from './index.js';

const X = [[0], [0.5], [1], [1.5], [2], [3]];
const y = [0.1, 0.6, 0.8, 1.0, 0.9, 0.2];
const code = (c: string) => expect.objectContaining({ code: c });

/** c × (1 on the diagonal, −0.9 elsewhere): not a kernel (negative eigenvalues), with one free parameter. */
class NotAKernel extends LeafKernel {
  readonly kind = 'notAKernel';
  protected rebuild(p: Hyperparameter[]) {
    return new NotAKernel(p);
  }
  computeMatrix(a: Points, b: Points = a) {
    const c = this.params[0]?.value[0] as number;
    return Float64Array.from({ length: a.n * b.n }, (_, t) => c * (b === a && t % (a.n + 1) === 0 ? 1 : -0.9));
  }
  computeDiag(a: Points) {
    return new Float64Array(a.n).fill(this.params[0]?.value[0] as number);
  }
  computeGradient(a: Points) {
    const K = this.computeMatrix(a);
    return { K, grads: [K.slice()] };
  }
  toString() {
    return 'NotAKernel';
  }
}

describe('options: unknown keys and wrong types are rejected by name', () => {
  test("periodic({ period: 6 }) is rejected (the option is 'periodicity'), not fitted with p = 1", () => {
    expect(() => periodic({ period: 6 } as never)).toThrow(
      "periodic: unknown option 'period'; did you mean 'periodicity'?",
    );
    expect(periodic({ periodicity: 6 }).hyperparameters[1]?.value[0]).toBe(6);
  });
  test("rbf({ lengthScale: '1' }) is rejected quoting the string", () => {
    expect(() => rbf({ lengthScale: '1' } as never)).toThrow(code('domain'));
    expect(() => rbf({ lengthScale: '1' } as never)).toThrow("rbf: option 'lengthScale' must be a finite number > 0 or a non-empty array of them, got '1' (string)");
    expect(() => matern({ nu: 2 as never })).toThrow("matern: option 'nu' must be one of 0.5, 1.5, 2.5, got 2");
    expect(() => white('1' as never)).toThrow(code('domain'));
    expect(() => constant(1, [2, 1])).toThrow(code('domain'));
  });
  test("fitGP({ normaliseY }) → did you mean 'normalizeY'", () => {
    expect(() => fitGP(X, y, { normaliseY: true } as never)).toThrow("fitGP: unknown option 'normaliseY'; did you mean 'normalizeY'?");
  });
  test('seed and rng are both accepted, not both at once', async () => {
    const { createRng } = await import('@notes/core-linalg');
    const a = fitGP(X, y, { restarts: 2, seed: 5 });
    const b = fitGP(X, y, { restarts: 2, rng: createRng(5) });
    expect(b.report.restarts).toEqual(a.report.restarts);
    expect(() => fitGP(X, y, { seed: 1, rng: createRng(1) })).toThrow("fitGP: give either option 'seed' or option 'rng', not both");
  });
});

describe('inputs go through core readMatrix/readVector', () => {
  test.each([
    ['strings in X', () => fitGP([[0], ['1'], [2]] as never, [1, 2, 3]), 'domain', "fitGP: argument 'X' must hold numbers, got '1' (string) at [1, 0]"],
    ['X null', () => fitGP(null as never, [1, 2]), 'shape', "fitGP: argument 'X' must be a matrix"],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the bad input under test
    ['a hole in the first row', () => fitGP([[, 1], [2, 3]] as never, [1, 2]), 'shape', "fitGP: argument 'X' has a hole at [0, 0]"],
    ['y with a string', () => fitGP(X, [0, '1', 2, 3, 4, 5] as never), 'domain', "fitGP: argument 'y' must hold numbers"],
    ['y too short', () => fitGP(X, [1, 2]), 'shape', "fitGP: argument 'y' must have length 6"],
    ['predict with strings', () => fitGP(X, y, { optimize: false }).predict([['a']] as never), 'domain', "GPModel.predict: argument 'Xs' must hold numbers"],
  ])('%s → typed error', (_n, f, c, msg) => {
    expect(f).toThrow(code(c));
    expect(f).toThrow(msg);
  });
  test('1-D X is a column: [0, 0.5, ...] equals [[0], [0.5], ...]', () => {
    const flat = fitGP(X.map((r) => r[0] as number), y, { optimize: false });
    const rows = fitGP(X, y, { optimize: false });
    expect(Array.from(flat.predict([0.7, 2.2]).mean)).toEqual(Array.from(rows.predict([[0.7], [2.2]]).mean));
  });
});

describe('fitGP error contract, restarts, memory', () => {
  test('optimize: true on a kernel that is not PD throws NotPositiveDefiniteError with its hint (not L-BFGS NonFiniteError)', () => {
    // c·(1 on the diagonal, −0.9 elsewhere): eigenvalue −3.5c for 6 points, not PD for any c > 0
    const kernel = new NotAKernel([makeParam('t', 'value', 1, undefined, 'variance')]);
    const f = () => fitGP(X, y, { kernel, noise: 1e-10 });
    expect(f).toThrow(code('not-positive-definite'));
    expect(f).toThrow(/increase options.noise/);
  });

  test('restarts are drawn near the data scale: on the README example each restart costs ≤ 3× the first start', () => {
    const kernel = sum(product(constant(1), matern({ nu: 2.5, lengthScale: 1 })), white(0.01));
    const m = fitGP(X, y, { kernel, restarts: 3, seed: 0 });
    const [first, ...rest] = m.report.startEvaluations as number[];
    for (const e of rest) expect(e).toBeLessThanOrEqual(3 * (first as number));
    // every restart reached the same optimum as the first start or a worse local one, none failed
    expect(m.report.restarts.every((v) => Number.isFinite(v))).toBe(true);
  });

  test('maxEvaluations caps each start (reason max-evaluations when it binds)', () => {
    const kernel = sum(product(constant(1), matern({ nu: 2.5, lengthScale: 1 })), white(0.01));
    const m = fitGP(X, y, { kernel, maxEvaluations: 3 });
    expect(m.report.startEvaluations[0]).toBe(3);
    expect(m.report.reason).toBe('max-evaluations');
    expect(m.report.converged).toBe(false);
  });

  test('n = 50,000 throws ResourceError naming the size and the alternative, before allocating', () => {
    const big = Array.from({ length: 50_000 }, (_, i) => [i / 1000]);
    const yb = new Float64Array(50_000);
    let err: unknown;
    try {
      fitGP(big, yb);
    } catch (e) {
      err = e;
    }
    expect(err).toEqual(code('resource'));
    expect((err as Error).message).toMatch(/50000×50000/);
    expect((err as Error).message).toMatch(/GiB/);
    expect((err as Error).message).toMatch(/sparse GP/);
    expect(() => fitGP(X, y, { maxMemoryBytes: 100 })).toThrow(code('resource'));
  });

  test('predict returns std = √variance', () => {
    const p = fitGP(X, y, { kernel: sum(scale(rbf(), 1), white(0.01)) }).predict([[0.7], [5]]);
    expect(Array.from(p.std)).toEqual(Array.from(p.variance, Math.sqrt));
  });
});

describe('scale: data ×1e-150 fits as well as unit-scale data (default bounds relative to the data)', () => {
  test('same fitted hyperparameters (scaled), log ML shifted by −n·log(1e-150), predictions scaled', () => {
    const c = 1e-150;
    const k = sum(product(constant(1), rbf({ lengthScale: 1 })), white(0.01));
    const kSmall = sum(product(constant(c * c), rbf({ lengthScale: c })), white(0.01 * c * c));
    const unit = fitGP(X, y, { kernel: k, restarts: 2 });
    const small = fitGP(
      X.map((r) => [(r[0] as number) * c]),
      y.map((v) => v * c),
      { kernel: kSmall, restarts: 2 },
    );
    expect(small.report.boundHits).toEqual(unit.report.boundHits);
    const n = X.length;
    expect(Math.abs(small.logMarginalLikelihood + n * Math.log(c) - unit.logMarginalLikelihood)).toBeLessThan(1e-6);
    const tu = unit.kernel.theta;
    const ts = small.kernel.theta;
    const shift = [2 * Math.log(c), Math.log(c), 2 * Math.log(c)];
    for (let i = 0; i < tu.length; i++) expect(Math.abs((ts[i] as number) - (shift[i] as number) - (tu[i] as number))).toBeLessThan(1e-4);
    const pu = unit.predict([[0.7], [2.5]]);
    const ps = small.predict([[0.7 * c], [2.5 * c]]);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs((ps.mean[i] as number) / c - (pu.mean[i] as number))).toBeLessThan(1e-5);
      expect(Math.abs((ps.std[i] as number) / c - (pu.std[i] as number))).toBeLessThan(1e-5);
    }
    expect(small.report.scales).toEqual({ length: 1e-150, variance: 1e-300 });
    expect(unit.report.scales).toEqual({ length: 1, variance: 1 });
  });
});

describe('async twin and abort', () => {
  test('fitGPAsync equals fitGP; an abort from a timer rejects with the best model so far', async () => {
    const Xb = Array.from({ length: 60 }, (_, i) => [i / 10]);
    const yb = Xb.map((r) => Math.sin(r[0] as number));
    const kernel = sum(scale(rbf(), 1), white(0.1));
    const a = fitGP(Xb, yb, { kernel, restarts: 1 });
    const b = await fitGPAsync(Xb, yb, { kernel, restarts: 1 });
    expect(b.kernel.theta).toEqual(a.kernel.theta);
    const c = new AbortController();
    setTimeout(() => c.abort(), 30);
    const t0 = performance.now();
    let err: { code?: string; partial?: unknown } | undefined;
    try {
      await fitGPAsync(Xb, yb, { kernel, restarts: 1000, signal: c.signal });
    } catch (e) {
      err = e as typeof err;
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(err?.code).toBe('aborted');
    const partial = err?.partial as GPModel;
    expect(partial).toBeInstanceOf(GPModel);
    expect(partial.report.reason).toBe('aborted');
    expect(Number.isFinite(partial.logMarginalLikelihood)).toBe(true);
  });
});

describe('fitGPAsync yields to the event loop through many short restarts', () => {
  test('a timer set when the fit starts runs before the fit resolves (each L-BFGS run < 50 ms)', async () => {
    const X = Array.from({ length: 9 }, (_, i) => [i / 8]);
    const y = X.map(([x]) => Math.sin(6 * (x as number)));
    // The check needs a fit that runs past the 50 ms yield interval. 200 restarts once took > 100 ms and now take
    // ~95 ms on an idle machine (a fixed "> 100 ms" expectation failed); 1,000 restarts (the maximum) take ~200 ms
    // idle, so the precondition below (> 60 ms) holds with a wide margin and more so under load.
    let fired = 0;
    const started = performance.now();
    setTimeout(() => {
      fired = performance.now();
    }, 0);
    await fitGPAsync(X, y, { kernel: sum(rbf({ lengthScale: 0.3 }), white(0.01)), restarts: 1000, seed: 1 });
    const resolved = performance.now();
    expect(resolved - started).toBeGreaterThan(60);
    // before the fix the timer only ran after the fit resolved
    expect(fired).toBeGreaterThan(0);
    expect(fired).toBeLessThan(resolved);
  });
});
