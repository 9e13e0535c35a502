/**
 * Special functions re-exported from stdlib-js (`@stdlib/math-base-special-*`) under @notes names.
 * They follow IEEE semantics like `Math.log`: NaN in → NaN out; at the poles (non-positive integers) `gammaln`
 * gives +Infinity but `digamma` and `trigamma` give NaN (stdlib's choice, the sign depends on the side). They are meant for
 * inner loops, so they do not throw; validate data at your own API boundary.
 */
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
export const gammaln: (x: number) => number = stdGammaln;

/** Digamma $\psi(x) = \frac{d}{dx}\ln\Gamma(x)$ (stdlib `digamma`; NaN at the poles 0, −1, …). @example digamma(1) // −γ ≈ −0.5772 */
export const digamma: (x: number) => number = stdDigamma;

/** Trigamma $\psi_1(x) = \frac{d^2}{dx^2}\ln\Gamma(x)$ (stdlib `trigamma`; NaN at the poles 0, −1, …). @example trigamma(1) // π²/6 */
export const trigamma: (x: number) => number = stdTrigamma;

/** Log beta function $\ln B(a,b) = \ln\Gamma(a) + \ln\Gamma(b) - \ln\Gamma(a+b)$ (stdlib `betaln`). */
export const betaln: (a: number, b: number) => number = stdBetaln;

/** Error function $\mathrm{erf}(x) = \frac{2}{\sqrt\pi}\int_0^x e^{-t^2}dt$ (stdlib `erf`). */
export const erf: (x: number) => number = stdErf;

/** Complementary error function $1 - \mathrm{erf}(x)$, accurate in the upper tail (stdlib `erfc`). */
export const erfc: (x: number) => number = stdErfc;

/** Inverse error function on $[-1, 1]$ (stdlib `erfinv`; ±1 → ±Infinity, outside → NaN). */
export const erfinv: (x: number) => number = stdErfinv;

/** $\ln(1+x)$, accurate for small $|x|$ (stdlib `log1p`). */
export const log1p: (x: number) => number = stdLog1p;

/** $e^x - 1$, accurate for small $|x|$ (stdlib `expm1`). */
export const expm1: (x: number) => number = stdExpm1;

/** Logit $\ln\frac{p}{1-p}$ on $[0,1]$, the inverse of {@link sigmoid} (stdlib `logit`). */
export const logit: (p: number) => number = stdLogit;

/** $\ln n!$ = $\ln\Gamma(n+1)$ (stdlib `factorialln`). @example factorialln(10) // ln 3628800 */
export const factorialln: (n: number) => number = stdFactorialln;

/**
 * Regularised LOWER incomplete gamma function
 * $P(a, x) = \frac{1}{\Gamma(a)}\int_0^x t^{a-1}e^{-t}\,dt$ — note stdlib's argument order `(x, a)`
 * (SciPy's `gammainc(a, x)` has them the other way round). Equals the CDF of Gamma(a, rate 1) at x.
 * @example gammainc(2, 1) // 1 − e^{−2} ≈ 0.8647
 */
export function gammainc(x: number, a: number): number {
  return stdGammainc(x, a, true, false);
}

/** Regularised UPPER incomplete gamma $Q(a, x) = 1 - P(a, x)$, accurate in the tail; order `(x, a)`. */
export function gammaincUpper(x: number, a: number): number {
  return stdGammainc(x, a, true, true);
}
