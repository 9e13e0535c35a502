import { Matrix } from 'ml-matrix';
import { assertInteger, checkMemory, DomainError, describeValue, withDefaults, DEFAULT_MAX_MEMORY_BYTES } from '../errors/index.js';
import { checkComplex, type Complex } from './fft.js';

/** cos/sin of 2πt/n for t < n: indexing by (jk mod n) keeps every angle exact. */
function unitRoots(n: number): { c: Float64Array; s: Float64Array } {
  const c = new Float64Array(n);
  const s = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    c[t] = Math.cos((2 * Math.PI * t) / n);
    s[t] = Math.sin((2 * Math.PI * t) / n);
  }
  return { c, s };
}

/**
 * Naive O(n²) DFT straight from the definition (notes: 傅里叶变换)
 * $\mathcal F x[k] = \sum_{j=0}^{n-1} x[j] e^{-2\pi i jk/n}$ — the reference the FFT is tested against.
 * @throws ShapeError for empty input or mismatched lengths; NonFiniteError for NaN/±Infinity.
 */
export function dft(reIn: ArrayLike<number>, imIn?: ArrayLike<number>): Complex {
  const { re, im } = checkComplex('dft', reIn, imIn);
  const n = re.length;
  const { c, s } = unitRoots(n);
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let j = 0; j < n; j++) {
      const t = (j * k) % n;
      const xr = re[j] as number;
      const xi = im === undefined ? 0 : (im[j] as number);
      const cr = c[t] as number;
      const ci = -(s[t] as number); // e^{-2πi t/n}
      sr += xr * cr - xi * ci;
      si += xr * ci + xi * cr;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

/** Options of {@link dftMatrix}. */
export interface DftMatrixOptions {
  /** Scale by $1/\sqrt n$ so that $W^{H} W = I$ (the notes' normalised W). @defaultValue false */
  unitary?: boolean;
}

const DFT_MATRIX_DEFAULTS = { unitary: false } satisfies Required<DftMatrixOptions>;

/**
 * The DFT matrix $W_{kj} = c\,e^{-2\pi i kj/n}$ with $c = 1$ (default, so $Wx$ = {@link fft}(x)) or
 * $c = 1/\sqrt n$ (`unitary: true`, so $W^{-1} = W^{H}$). Its inverse is $W^{-1} = \overline W/(n c^2)$.
 *
 * The notes (傅里叶变换) write $\mathcal F x = Wx$ with $W_{ij} = e^{-2\pi i nk/N}$ but print W with a
 * $1/\sqrt N$ factor; both are offered here: the unscaled one matches their definition of $\mathcal F$,
 * the unitary one their displayed matrix (for which $W^{-1} = W^H$).
 * @throws DomainError unless `n` is an integer ≥ 1.
 * @example dftMatrix(2).re.to2DArray() // [[1, 1], [1, -1]]
 */
export function dftMatrix(n: number, options: DftMatrixOptions = {}): { re: Matrix; im: Matrix } {
  assertInteger('dftMatrix', 'n', n, 1);
  const { unitary } = withDefaults(DFT_MATRIX_DEFAULTS, options);
  if (typeof unitary !== 'boolean') throw new DomainError(`dftMatrix: option 'unitary' must be a boolean, got ${describeValue(unitary)}`);
  if (2 * 8 * n * n > DEFAULT_MAX_MEMORY_BYTES) checkMemory('dftMatrix', `two ${n}×${n} matrices`, 2 * 8 * n * n);
  const scale = unitary ? 1 / Math.sqrt(n) : 1;
  const { c, s } = unitRoots(n);
  const re = new Matrix(n, n);
  const im = new Matrix(n, n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const t = (k * j) % n;
      re.set(k, j, scale * (c[t] as number));
      im.set(k, j, -scale * (s[t] as number));
    }
  }
  return { re, im };
}
