import { describe, expect, test } from 'vitest';
import {
  betaln,
  digamma,
  erf,
  erfc,
  erfinv,
  expm1,
  factorialln,
  gammainc,
  gammaincUpper,
  gammaln,
  log1p,
  logit,
  logSigmoid,
  multigammaln,
  normalCdf,
  normalLogPdf,
  normalPdf,
  normalQuantile,
  sigmoid,
  softplus,
  trigamma,
} from './index.js';

const EULER = 0.5772156649015329;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('special: stdlib functions against closed forms', () => {
  test.each([
    ['gammaln(5) = ln 24', gammaln(5), Math.log(24)],
    ['gammaln(1/2) = ln √π', gammaln(0.5), 0.5 * Math.log(Math.PI)],
    ['digamma(1) = −γ', digamma(1), -EULER],
    ['digamma(1/2) = −γ − 2 ln 2', digamma(0.5), -EULER - 2 * Math.LN2],
    ['trigamma(1) = π²/6', trigamma(1), Math.PI ** 2 / 6],
    ['trigamma(1/2) = π²/2', trigamma(0.5), Math.PI ** 2 / 2],
    ['betaln(2, 3) = ln(1/12)', betaln(2, 3), Math.log(1 / 12)],
    ['erf(1)', erf(1), 0.8427007929497149],
    ['erfc(3)', erfc(3), 2.209049699858544e-5],
    ['log1p(1e-10)', log1p(1e-10), 1e-10 - 5e-21],
    ['expm1(1e-10)', expm1(1e-10), 1e-10 + 5e-21],
    ['logit(0.75) = ln 3', logit(0.75), Math.log(3)],
    ['factorialln(10) = ln 10!', factorialln(10), Math.log(3628800)],
    ['gammainc(2, 1) = 1 − e^{−2}', gammainc(2, 1), 1 - Math.exp(-2)],
    ['gammainc(3, 2) = 1 − e^{−3}(1+3)', gammainc(3, 2), 1 - Math.exp(-3) * 4],
    ['gammaincUpper(4, 1/2) = erfc(2)', gammaincUpper(4, 0.5), erfc(2)],
    ['normalCdf(1.96)', normalCdf(1.96), 0.9750021048517795],
    ['normalCdf(x, μ, σ) = ½ erfc(−(x−μ)/(σ√2))', normalCdf(0.3, 1, 2), 0.5 * erfc(-(0.3 - 1) / (2 * Math.SQRT2))],
    ['normalPdf(0) = 1/√(2π)', normalPdf(0), 1 / Math.sqrt(2 * Math.PI)],
    ['normalQuantile(0.975)', normalQuantile(0.975), 1.959963984540054],
    ['normalQuantile(0.5, 3, 2) = 3', normalQuantile(0.5, 3, 2), 3],
    ['multigammaln(3, 1) = ln Γ(3)', multigammaln(3, 1), Math.log(2)],
    ['multigammaln(2, 3) = ln(π²/2)', multigammaln(2, 3), Math.log(Math.PI ** 2 / 2)],
    ['multigammaln(2.5, 2) = ln(√π Γ(2.5) Γ(2))', multigammaln(2.5, 2), 0.5 * Math.log(Math.PI) + gammaln(2.5)],
  ])('%s', (_name, got, want) => {
    expect(rel(got, want)).toBeLessThan(1e-12);
  });

  test('inverses round-trip: erfinv∘erf, logit∘sigmoid, quantile∘cdf', () => {
    for (const x of [-2.5, -0.3, 0, 0.7, 1.9]) {
      expect(erfinv(erf(x))).toBeCloseTo(x, 12);
      expect(logit(sigmoid(x))).toBeCloseTo(x, 12);
      expect(normalQuantile(normalCdf(x, 1, 3), 1, 3)).toBeCloseTo(x, 10);
    }
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
  });

  test('normalLogPdf = ln normalPdf, and stays finite far in the tail', () => {
    for (const x of [-3, 0, 0.5, 4]) expect(normalLogPdf(x, 0.5, 1.5)).toBeCloseTo(Math.log(normalPdf(x, 0.5, 1.5)), 12);
    expect(normalLogPdf(100)).toBeCloseTo(-5000 - 0.5 * Math.log(2 * Math.PI), 8);
  });
});

describe('special: stable logistic functions', () => {
  test('closed forms and extreme arguments', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(rel(sigmoid(-700), Math.exp(-700) / (1 + Math.exp(-700)))).toBeLessThan(1e-14);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-800)).toBe(0);
    expect(softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(rel(softplus(-30), Math.log1p(Math.exp(-30)))).toBeLessThan(1e-14);
    expect(logSigmoid(-1000)).toBe(-1000);
    expect(rel(logSigmoid(2), Math.log(sigmoid(2)))).toBeLessThan(1e-14);
    expect(() => sigmoid(Number.NaN)).toThrow(expect.objectContaining({ code: 'non-finite' }));
  });

  test('poles at 0, −1, −2 behave as documented: ln|Γ| = +∞, ψ and ψ₁ DomainError; NaN in → NonFiniteError (NaN never leaks)', () => {
    for (const x of [0, -1, -2]) {
      expect(gammaln(x)).toBe(Number.POSITIVE_INFINITY);
      expect(() => digamma(x)).toThrow(expect.objectContaining({ code: 'domain' }));
      expect(() => trigamma(x)).toThrow(expect.objectContaining({ code: 'domain' }));
    }
    for (const f of [gammaln, digamma, trigamma, erf, log1p]) expect(() => f(Number.NaN)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => logit(2)).toThrow("logit: argument 'x' = 2 is outside the domain");
    expect(() => erfinv(1.5)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(erfinv(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => gammainc('1' as unknown as number, 2)).toThrow("gammainc: argument 'x' must be a number, got '1' (string)");
  });

  test('softplus(x) − softplus(−x) = x and softplus′ = sigmoid (central differences)', () => {
    for (const x of [-20, -1.3, 0, 0.4, 7, 35]) {
      expect(softplus(x) - softplus(-x)).toBeCloseTo(x, 12);
      const h = 1e-5;
      expect((softplus(x + h) - softplus(x - h)) / (2 * h)).toBeCloseTo(sigmoid(x), 8);
    }
  });
});

describe('special: bad parameters → typed errors', () => {
  test.each([
    ['normalCdf sd 0', () => normalCdf(0, 0, 0), 'domain'],
    ['normalPdf sd < 0', () => normalPdf(0, 0, -1), 'domain'],
    ['normalLogPdf NaN mu', () => normalLogPdf(0, Number.NaN), 'non-finite'],
    ['normalQuantile p > 1', () => normalQuantile(1.2), 'domain'],
    ['normalQuantile NaN', () => normalQuantile(Number.NaN), 'non-finite'],
    ['multigammaln a too small', () => multigammaln(0.9, 3), 'domain'],
    ['multigammaln p = 0', () => multigammaln(2, 0), 'domain'],
    ['multigammaln NaN', () => multigammaln(Number.NaN, 2), 'non-finite'],
  ])('%s', (_name, fn, code) => {
    expect(fn).toThrow(expect.objectContaining({ code }));
  });
});
