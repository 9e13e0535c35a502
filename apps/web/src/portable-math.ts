/**
 * Portable `exp`, `log`, `log10`, `sin`, `cos`: the same pure-JavaScript arithmetic in every engine, so a
 * computation that calls them gives bit-identical numbers in Node and in the browser.
 *
 * Why: the engines' built-ins are not the same functions. Chromium 156's V8 and Node 20's V8 (11.3) return
 * different doubles (1 ulp apart) for `Math.exp` in ~10 % of arguments, `Math.log` ~5 %, `Math.sin`/`Math.cos`
 * ~4 % (20,000 seeded arguments, measured by this app's browser test). Most panels stay within 1e-11 of Node
 * regardless, but Bayesian optimisation maximises its acquisition by multi-start L-BFGS stopped by a tolerance,
 * so ulp-level differences in the GP move a proposal by ~1e-5 and every later step starts from it. With
 * {@link withPortableMath} the worker and the Node reference run the same operations: `+ − × ÷` and `sqrt` are
 * correctly rounded by IEEE 754 in both engines, and these functions use nothing else.
 *
 * Algorithms: fdlibm's (Sun Microsystems, 1993; as in FreeBSD's msun): exp by reduction x = k ln2 + r and a
 * rational approximation of r(e^r + 1)/(e^r − 1); log by x = 2^k (1 + f), s = f/(2 + f) and a polynomial in s²;
 * sin/cos by reduction modulo π/2 (Cody–Waite in three parts, exact for |x| < 2^20 π/2; beyond that the
 * reduction loses accuracy but stays deterministic) and the degree-13/14 kernel polynomials. Written from the
 * published algorithms and coefficients; within 1 ulp of the built-ins (checked by the browser test).
 */

const buf = new DataView(new ArrayBuffer(8));
const hiWord = (x: number) => {
  buf.setFloat64(0, x);
  return buf.getUint32(0);
};
const loWord = (x: number) => {
  buf.setFloat64(0, x);
  return buf.getUint32(4);
};
const fromWords = (hi: number, lo: number) => {
  buf.setUint32(0, hi >>> 0);
  buf.setUint32(4, lo >>> 0);
  return buf.getFloat64(0);
};
/** 2^k for an integer −1022 ≤ k ≤ 1023, built from its bits. */
const pow2 = (k: number) => fromWords((k + 1023) << 20, 0);

// ------------------------------------------------------------------ exp

const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E; // fdlibm invln2
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 6.613756321437934e-05;
const P4 = -1.6533902205465252e-06;
const P5 = 4.1381367970572385e-08;

/** e^x (fdlibm e_exp). */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 709.782712893384) return Number.POSITIVE_INFINITY;
  if (x < -745.1332191019411) return 0;
  const ax = Math.abs(x);
  if (ax < 3.725290298461914e-09) return 1 + x; // |x| < 2^-28
  let k = 0;
  let hi = x;
  let lo = 0;
  if (ax > 0.5 * LN2_HI) {
    k = ax < 1.5 * LN2_HI ? (x < 0 ? -1 : 1) : Math.trunc(INV_LN2 * x + (x < 0 ? -0.5 : 0.5));
    hi = x - k * LN2_HI; // exact: k has at most 11 bits, LN2_HI 32
    lo = k * LN2_LO;
  }
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  // scale by 2^k in two steps so neither factor overflows nor underflows
  if (k >= -1021) return k === 1024 ? y * 2 * pow2(1023) : y * pow2(k);
  return y * pow2(k + 1000) * pow2(-1000);
}

// ------------------------------------------------------------------ log

const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;
const TWO54 = 1.8014398509481984e+16;

/** x = 2^k m with m in [√2/2, √2); for finite positive x. */
function split(x: number): [number, number] {
  let k = 0;
  if (x < 2.2250738585072014e-308) {
    x *= TWO54; // subnormal: scale up
    k = -54;
  }
  let hx = hiWord(x);
  k += (hx >>> 20) - 1023;
  hx &= 0x000fffff;
  // choose m in [√2/2, √2): 0x6a09e is the top of √2's mantissa
  const i = (hx + 0x95f64) & 0x100000;
  const m = fromWords(hx | (i ^ 0x3ff00000), loWord(x));
  return [k + (i >>> 20), m];
}

/** log(1 + f) − f for f = m − 1, m in [√2/2, √2) (fdlibm's k_log1p, without the k terms). */
function log1pRest(f: number): [number, number] {
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const hfsq = 0.5 * f * f;
  return [hfsq, s * (hfsq + t2 + t1)];
}

/** Natural logarithm (fdlibm e_log). */
export function log(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  const [k, m] = split(x);
  const f = m - 1;
  const [hfsq, sR] = log1pRest(f);
  return k * LN2_HI - (hfsq - (sR + k * LN2_LO) - f);
}

const IVLN10 = Math.LOG10E; // fdlibm ivln10
const LOG10_2HI = 0.30102999566361177;
const LOG10_2LO = 3.694239077158931e-13;

/** Base-10 logarithm: k log10(2) + log(m)/ln 10 with split constants (exact at powers of 10 up to 1e22 is not promised). */
export function log10(x: number): number {
  if (Number.isNaN(x) || x < 0) return Number.NaN;
  if (x === 0) return Number.NEGATIVE_INFINITY;
  if (x === Number.POSITIVE_INFINITY) return x;
  const [k, m] = split(x);
  const f = m - 1;
  const [hfsq, sR] = log1pRest(f);
  const lnm = f - (hfsq - sR);
  return k * LOG10_2HI + (k * LOG10_2LO + IVLN10 * lnm);
}

// ------------------------------------------------------------------ sin, cos

const S1 = -0.16666666666666632;
const S2 = 0.00833333333332249;
const S3 = -0.0001984126982985795;
const S4 = 2.7557313707070068e-06;
const S5 = -2.5050760253406863e-08;
const S6 = 1.58969099521155e-10;
const C1 = 0.0416666666666666;
const C2 = -0.001388888888887411;
const C3 = 2.480158728947673e-05;
const C4 = -2.7557314351390663e-07;
const C5 = 2.087572321298175e-09;
const C6 = -1.1359647557788195e-11;

/** sin(x + y) for |x| ≤ π/4, y the tail of x. */
function kSin(x: number, y: number): number {
  const z = x * x;
  const w = z * z;
  const r = S2 + z * (S3 + z * S4) + z * w * (S5 + z * S6);
  const v = z * x;
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}
/** cos(x + y) for |x| ≤ π/4. */
function kCos(x: number, y: number): number {
  const z = x * x;
  let w = z * z;
  const r = z * (C1 + z * (C2 + z * C3)) + w * w * (C4 + z * (C5 + z * C6));
  const hz = 0.5 * z;
  w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y));
}

const INV_PIO2 = 0.6366197723675814;
const PIO2_1 = 1.5707963267341256;
const PIO2_1T = 6.077100506506192e-11;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_2T = 2.0222662487959506e-21;
const PIO2_3 = 2.0222662487111665e-21;
const PIO2_3T = 8.4784276603689e-32;

/** x = n π/2 + (y0 + y1), |y0 + y1| ≤ π/4 (about), by fdlibm's three-step Cody–Waite reduction. */
function reduce(x: number): [number, number, number] {
  const n = Math.round(x * INV_PIO2);
  let r = x - n * PIO2_1;
  let w = n * PIO2_1T;
  let y0 = r - w;
  const ex = (hiWord(x) >>> 20) & 0x7ff;
  if (ex - ((hiWord(y0) >>> 20) & 0x7ff) > 16) {
    let t = r;
    w = n * PIO2_2;
    r = t - w;
    w = n * PIO2_2T - (t - r - w);
    y0 = r - w;
    if (ex - ((hiWord(y0) >>> 20) & 0x7ff) > 49) {
      t = r;
      w = n * PIO2_3;
      r = t - w;
      w = n * PIO2_3T - (t - r - w);
      y0 = r - w;
    }
  }
  return [n, y0, r - y0 - w];
}

/** Sine (fdlibm s_sin). */
export function sin(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) <= 0.7853981633974483) return Math.abs(x) < 7.450580596923828e-09 ? x : kSin(x, 0);
  const [n, y0, y1] = reduce(x);
  switch (n & 3) {
    case 0:
      return kSin(y0, y1);
    case 1:
      return kCos(y0, y1);
    case 2:
      return -kSin(y0, y1);
    default:
      return -kCos(y0, y1);
  }
}

/** Cosine (fdlibm s_cos). */
export function cos(x: number): number {
  if (!Number.isFinite(x)) return Number.NaN;
  if (Math.abs(x) <= 0.7853981633974483) return Math.abs(x) < 7.450580596923828e-09 ? 1 : kCos(x, 0);
  const [n, y0, y1] = reduce(x);
  switch (n & 3) {
    case 0:
      return kCos(y0, y1);
    case 1:
      return -kSin(y0, y1);
    case 2:
      return -kCos(y0, y1);
    default:
      return kSin(y0, y1);
  }
}

// ------------------------------------------------------------------ install

const PORTABLE = { exp, log, log10, sin, cos } as const;
type Name = keyof typeof PORTABLE;
const builtins: Record<Name, (x: number) => number> = { exp: Math.exp, log: Math.log, log10: Math.log10, sin: Math.sin, cos: Math.cos };
let depth = 0;

/**
 * Runs `fn` with `Math.exp/log/log10/sin/cos` replaced by the portable versions (restored when the last of
 * overlapping calls settles). Used by the panels whose numbers are otherwise engine-dependent beyond 1e-9
 * (Bayesian optimisation), identically in the worker and in the Node reference of the browser test.
 */
export async function withPortableMath<T>(fn: () => Promise<T>): Promise<T> {
  if (depth++ === 0) Object.assign(Math, PORTABLE);
  try {
    return await fn();
  } finally {
    if (--depth === 0) Object.assign(Math, builtins);
  }
}
