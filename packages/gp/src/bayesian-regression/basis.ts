/**
 * Basis functions $\varphi(x) = (\varphi_1(x), \dots, \varphi_M(x))$ for Bayesian (non)linear regression
 * (notes: Bayesian Regression, $y = w^\top\varphi(x) + \varepsilon$):
 * - polynomial (1-D inputs): $\varphi_m(x) = x^m$, $m = 0..\text{degree}$;
 * - RBF bumps: $\varphi_m(x) = \exp(-\lVert x - c_m\rVert^2 / (2\ell^2))$ at given centres;
 * - random Fourier features (Rahimi & Recht 2007): $\varphi_m(x) = \sqrt{2/M}\cos(\omega_m^\top x + b_m)$ with
 *   $\omega_m\sim\mathcal N(0, \ell^{-2}I)$, $b_m\sim U(0, 2\pi)$, so $\varphi(x)^\top\varphi(x')\to e^{-\lVert x-x'\rVert^2/(2\ell^2)}$.
 */
import {
  DomainError,
  NonFiniteError,
  type Rng,
  ShapeError,
  defineOptions,
  describeValue,
  readMatrix,
  readNumber,
  readVector,
  resolveRng,
  sampleNormalArray,
} from '@notes/core-linalg';
import { type Points, type PointsInput, readPoints } from '../kernels/points.js';

/** Serialised basis. */
export type BasisJSON =
  | { kind: 'polynomial'; degree: number }
  | { kind: 'rbf'; centers: number[][]; lengthScale: number }
  | { kind: 'fourier'; omega: number[][]; phase: number[] };

/** A fixed feature map. */
export interface Basis {
  readonly kind: BasisJSON['kind'];
  /** Number of features M. */
  readonly size: number;
  /** Input dimension it expects (undefined: accepts every dimension). */
  readonly dim: number | undefined;
  /** Design matrix Φ (n × M, row-major). */
  features(pts: Points): Float64Array;
  toJSON(): BasisJSON;
}

function readInteger(where: string, name: string, v: unknown, min: number, max: number): number {
  const x = readNumber(where, name, v);
  if (!Number.isInteger(x) || x < min || x > max) {
    throw new DomainError(`${where}: argument '${name}' must be an integer in [${min}, ${max}], got ${describeValue(v)}`);
  }
  return x;
}

function readPositive(where: string, name: string, v: unknown): number {
  const x = readNumber(where, name, v);
  if (!(x > 0)) throw new DomainError(`${where}: argument '${name}' must be > 0, got ${describeValue(v)}`);
  return x;
}

/** $\varphi_m(x) = x^m$, m = 0..degree (1-D inputs). @throws DomainError unless degree is an integer in [0, 50]. */
export function polynomialBasis(degree: number): Basis {
  readInteger('polynomialBasis', 'degree', degree, 0, 50);
  return {
    kind: 'polynomial',
    size: degree + 1,
    dim: 1,
    features(pts) {
      const out = new Float64Array(pts.n * (degree + 1));
      for (let i = 0; i < pts.n; i++) {
        let p = 1;
        for (let m = 0; m <= degree; m++, p *= pts.data[i]) out[i * (degree + 1) + m] = p;
      }
      return out;
    },
    toJSON: () => ({ kind: 'polynomial', degree }),
  };
}

/** Gaussian bumps at `centers` with width ℓ. @throws DomainError for ℓ ≤ 0; ShapeError for bad centres. */
export function rbfBasis(centers: PointsInput, lengthScale: number): Basis {
  readPositive('rbfBasis', 'lengthScale', lengthScale);
  const c = readPoints(centers, 'rbfBasis', 'centers');
  const M = c.n;
  return {
    kind: 'rbf',
    size: M,
    dim: c.d,
    features(pts) {
      const out = new Float64Array(pts.n * M);
      for (let i = 0; i < pts.n; i++) {
        for (let m = 0; m < M; m++) {
          let r2 = 0;
          for (let t = 0; t < c.d; t++) r2 += (pts.data[i * c.d + t] - c.data[m * c.d + t]) ** 2;
          out[i * M + m] = Math.exp(-r2 / (2 * lengthScale * lengthScale));
        }
      }
      return out;
    },
    toJSON: () => ({
      kind: 'rbf',
      centers: Array.from({ length: M }, (_, m) => Array.from(c.data.subarray(m * c.d, (m + 1) * c.d))),
      lengthScale,
    }),
  };
}

function fourierFromParams(omega: Float64Array, phase: Float64Array, M: number, d: number): Basis {
  const s = Math.sqrt(2 / M);
  return {
    kind: 'fourier',
    size: M,
    dim: d,
    features(pts) {
      const out = new Float64Array(pts.n * M);
      for (let i = 0; i < pts.n; i++) {
        for (let m = 0; m < M; m++) {
          let z = phase[m];
          for (let t = 0; t < d; t++) z += omega[m * d + t] * pts.data[i * d + t];
          out[i * M + m] = s * Math.cos(z);
        }
      }
      return out;
    },
    toJSON: () => ({
      kind: 'fourier',
      omega: Array.from({ length: M }, (_, m) => Array.from(omega.subarray(m * d, (m + 1) * d))),
      phase: Array.from(phase),
    }),
  };
}

/** Options of {@link fourierBasis}. */
export interface FourierBasisOptions {
  /** Number of features M. */
  size: number;
  /** Input dimension d. */
  dim: number;
  /** Length scale ℓ of the approximated RBF kernel. */
  lengthScale: number;
  /** Seed of the frequency draws (give `seed` or `rng`). @defaultValue 0 */
  seed?: number;
  /** A generator from core's `createRng`. */
  rng?: Rng;
}

const FOURIER_OPTIONS = defineOptions<FourierBasisOptions>()('fourierBasis', {
  size: { type: 'integer', min: 1, max: 1e6, doc: 'number of features M' },
  dim: { type: 'integer', min: 1, max: 1e5, doc: 'input dimension' },
  lengthScale: { type: 'number', greaterThan: 0, doc: 'RBF length scale' },
  seed: { type: 'integer', min: 0, doc: 'seed of the frequencies' },
  rng: { type: 'rng', doc: 'generator from createRng' },
});

/**
 * Random Fourier features approximating an RBF kernel of length scale ℓ.
 * @defaultValue seed = 0
 * @throws DomainError for a missing or bad `size`, `dim` or `lengthScale`, an unknown option, or both seed and rng.
 */
export function fourierBasis(options: FourierBasisOptions): Basis {
  const o = FOURIER_OPTIONS.parse(options);
  for (const key of ['size', 'dim', 'lengthScale'] as const) {
    if (o[key] === undefined) throw new DomainError(`fourierBasis: option '${key}' is required`);
  }
  const rng = resolveRng('fourierBasis', o, 0);
  const omega = sampleNormalArray(rng, o.size * o.dim, 0, 1 / o.lengthScale);
  const phase = Float64Array.from({ length: o.size }, () => 2 * Math.PI * rng.uniform());
  return fourierFromParams(omega, phase, o.size, o.dim);
}

/**
 * Basis from its JSON; every field is validated.
 * @throws DomainError / ShapeError / NonFiniteError naming the bad field.
 */
export function basisFromJSON(json: BasisJSON): Basis {
  const where = 'basisFromJSON';
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new DomainError(`${where}: argument 'json' must be a basis object, got ${describeValue(json)}`);
  }
  const j = json as unknown as Record<string, unknown>;
  switch (j.kind) {
    case 'polynomial':
      return polynomialBasis(readInteger(where, 'degree', j.degree, 0, 50));
    case 'rbf':
      return rbfBasis(readPoints(j.centers, where, 'centers').data.length > 0 ? (j.centers as number[][]) : [], readPositive(where, 'lengthScale', j.lengthScale));
    case 'fourier': {
      const omega = readMatrix(where, 'omega', j.omega);
      const phase = readVector(where, 'phase', j.phase, { length: omega.rows });
      return fourierFromParams(omega.data, phase, omega.rows, omega.columns);
    }
    default:
      throw new DomainError(`${where}: unknown basis kind ${describeValue(j.kind)}`);
  }
}

/** Validates inputs against a basis and returns Φ. */
export function designMatrix(basis: Basis, X: PointsInput, where: string, name: string): { phi: Float64Array; n: number } {
  const pts = readPoints(X, where, name);
  if (basis.dim !== undefined && pts.d !== basis.dim) {
    throw new ShapeError(`${where}: argument '${name}' must have ${basis.dim} columns for this ${basis.kind} basis, got ${pts.d}`);
  }
  const phi = basis.features(pts);
  for (let i = 0; i < phi.length; i++) {
    if (!Number.isFinite(phi[i])) {
      throw new NonFiniteError(`${where}: the ${basis.kind} features of argument '${name}' overflow (row ${Math.floor(i / basis.size)}); rescale the inputs`);
    }
  }
  return { phi, n: pts.n };
}
