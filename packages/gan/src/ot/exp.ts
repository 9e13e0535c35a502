/**
 * e^x by the fdlibm algorithm (Sun Microsystems, `e_exp.c`; the one V8 uses for `Math.exp`), written in
 * TypeScript so that TurboFan inlines it into the O(n·m) kernel loops instead of calling out to C per
 * entry. Argument reduction x = k·ln 2 + r with |r| ≤ ln 2 / 2 (ln 2 split into hi + lo), a degree-5
 * Remez polynomial R(r²) in Padé form
 * $$e^r = 1 + r + \frac{r\,c(r)}{2 - c(r)},\qquad c(r) = r - r^2 R(r^2),$$
 * then e^x = 2^k·e^r with 2^k read from a table; k = x/ln 2 rounded half away from zero, as fdlibm
 * (which takes k = 0 up to |x| < T_0, the double with high word 0x3fd62e43, just above ln 2 / 2). On
 * [−708, 709] it returns the same double as `Math.exp` (`exp.test.ts` compares them); it defers to
 * `Math.exp` outside that range (subnormal results, overflow to ∞, NaN), for |x| < 2^{−28} and on the
 * width-1e−9 interval around ln 2 / 2 where fdlibm's bit-pattern test and the rounding of x/ln 2 differ,
 * and at x = 1 (V8 special-cases it to return the correctly rounded e).
 * @internal
 */

/** fdlibm's constants (shortest decimal forms of the same doubles). */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 6.613756321437934e-5;
const P4 = -1.6533902205465252e-6;
const P5 = 4.1381367970572385e-8;
/** Just below ln 2 / 2 = 0.34657359…, and T_0 (see above). */
const K0_LOW = 0.3465735;
const K0_HIGH = 0.3465735912322998; // 0x3fd62e4300000000
/** 2^k for k = −1022 … 1023 at index k + 1022. */
const POW2 = Float64Array.from({ length: 2046 }, (_, i) => 2 ** (i - 1022));

/** e^x, bit-for-bit `Math.exp(x)` (fdlibm). */
export function expFdlibm(x: number): number {
  const ax = Math.abs(x);
  if (!(x >= -708 && x <= 709) || ax < 3.725290298461914e-9 || (ax >= K0_LOW && ax < K0_HIGH) || x === 1) return Math.exp(x);
  const k = Math.trunc(x < 0 ? x * INV_LN2 - 0.5 : x * INV_LN2 + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  return (1 - (lo - (r * c) / (2 - c) - hi)) * POW2[k + 1022]!;
}
