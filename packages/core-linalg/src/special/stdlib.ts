/**
 * Special functions re-exported from stdlib-js (`@stdlib/math-base-special-*`) under @notes names.
 * NaN never leaks: a non-number argument throws `DomainError`, NaN throws `NonFiniteError`, and an argument
 * whose result would be NaN (outside the domain, e.g. `logit(2)`, or a pole of `digamma`/`trigamma` at 0, −1, …)
 * throws `DomainError`; ±Infinity results (`gammaln(0)`, `erfinv(±1)`) are returned. The guard costs a
 * comparison on the result, so they stay usable in inner loops.
 */
import { guard1, guard2 } from './guard.js';
import stdBetaln from '@stdlib/math-base-special-betaln';
import stdDigamma from '@stdlib/math-base-special-digamma';
import stdErf from '@stdlib/math-base-special-erf';
import stdErfc from '@stdlib/math-base-special-erfc';
import stdErfinv from '@stdlib/math-base-special-erfinv';
import stdExpm1 from '@stdlib/math-base-special-expm1';
import stdFactorialln from '@stdlib/math-base-special-factorialln';
import stdGammainc from '@stdlib/math-base-special-gammainc';
import stdGammaln from '@stdlib/math-base-special-gammaln';
import stdLog1p from '@stdlib/math-base-special-log1p';
import stdLogit from '@stdlib/math-base-special-logit';
import stdTrigamma from '@stdlib/math-base-special-trigamma';

/** Log of the absolute gamma function, $\ln|\Gamma(x)|$ (stdlib `gammaln`). @example gammaln(5) // ln 24 */
export const gammaln: (x: number) => number = guard1('gammaln', stdGammaln);

/** Digamma $\psi(x) = \frac{d}{dx}\ln\Gamma(x)$ (stdlib `digamma`; DomainError at the poles 0, −1, …). @example digamma(1) // −γ ≈ −0.5772 */
export const digamma: (x: number) => number = guard1('digamma', stdDigamma);

/** Trigamma $\psi_1(x) = \frac{d^2}{dx^2}\ln\Gamma(x)$ (stdlib `trigamma`; DomainError at the poles 0, −1, …). @example trigamma(1) // π²/6 */
export const trigamma: (x: number) => number = guard1('trigamma', stdTrigamma);

/** Log beta function $\ln B(a,b) = \ln\Gamma(a) + \ln\Gamma(b) - \ln\Gamma(a+b)$ (stdlib `betaln`). */
export const betaln: (a: number, b: number) => number = guard2('betaln', ['a', 'b'], stdBetaln);

/** Error function $\mathrm{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2}dt$ (stdlib `erf`). */
export const erf: (x: number) => number = guard1('erf', stdErf);

/** Complementary error function $1 - \mathrm{erf}(x)$, accurate in the upper tail (stdlib `erfc`). */
export const erfc: (x: number) => number = guard1('erfc', stdErfc);

/** Inverse error function on $[-1, 1]$ (stdlib `erfinv`; ±1 → ±Infinity, outside → DomainError). */
export const erfinv: (x: number) => number = guard1('erfinv', stdErfinv);

/** $\ln(1+x)$, accurate for small $|x|$ (stdlib `log1p`). */
export const log1p: (x: number) => number = guard1('log1p', stdLog1p);

/** $e^x - 1$, accurate for small $|x|$ (stdlib `expm1`). */
export const expm1: (x: number) => number = guard1('expm1', stdExpm1);

/** Logit $\ln\frac{p}{1-p}$ on $[0,1]$, the inverse of {@link sigmoid} (stdlib `logit`). */
export const logit: (p: number) => number = guard1('logit', stdLogit);

/** $\ln n!$ = $\ln\Gamma(n+1)$ (stdlib `factorialln`). @example factorialln(10) // ln 3628800 */
export const factorialln: (n: number) => number = guard1('factorialln', stdFactorialln);

/**
 * Regularised LOWER incomplete gamma function
 * $P(a, x) = \frac{1}{\Gamma(a)}\int_0^x t^{a-1}e^{-t}\,dt$ — note stdlib's argument order `(x, a)`
 * (SciPy's `gammainc(a, x)` has them the other way round). Equals the CDF of Gamma(a, rate 1) at x.
 * @example gammainc(2, 1) // 1 − e^{−2} ≈ 0.8647
 */
export function gammainc(x: number, a: number): number {
  return lowerGuarded(x, a);
}

/** Regularised UPPER incomplete gamma $Q(a, x) = 1 - P(a, x)$, accurate in the tail; order `(x, a)`. */
export function gammaincUpper(x: number, a: number): number {
  return upperGuarded(x, a);
}

const lowerGuarded = guard2('gammainc', ['x', 'a'], (x, a) => stdGammainc(x, a, true, false));
const upperGuarded = guard2('gammaincUpper', ['x', 'a'], (x, a) => stdGammainc(x, a, true, true));
