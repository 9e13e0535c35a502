/**
 * Basis functions $\varphi(x) = (\varphi_1(x), \dots, \varphi_M(x))$ for Bayesian (non)linear regression
 * (notes: Bayesian Regression, $y = w^\top\varphi(x) + \varepsilon$):
 * - polynomial (1-D inputs): $\varphi_m(x) = x^m$, $m = 0..\text{degree}$;
 * - RBF bumps: $\varphi_m(x) = \exp(-\lVert x - c_m\rVert^2 / (2\ell^2))$ at given centres;
 * - random Fourier features (Rahimi & Recht 2007): $\varphi_m(x) = \sqrt{2/M}\cos(\omega_m^\top x + b_m)$ with
 *   $\omega_m\sim\mathcal N(0, \ell^{-2}I)$, $b_m\sim U(0, 2\pi)$, so $\varphi(x)^\top\varphi(x')\to e^{-\lVert x-x'\rVert^2/(2\ell^2)}$.
 */
import { DomainError, assertInteger, assertPositive, createRng, sampleNormalArray } from '@notes/core-linalg';
import { type Points, type PointsInput, toPoints } from '../kernels/points.js';

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

/** $\varphi_m(x) = x^m$, m = 0..degree (1-D inputs). @throws DomainError unless degree is an integer ≥ 0. */
export function polynomialBasis(degree: number): Basis {
  assertInteger('polynomialBasis', 'degree', degree, 0, 50);
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
  assertPositive('rbfBasis', 'lengthScale', lengthScale);
  const c = toPoints(centers, 'rbfBasis', 'centers');
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

/**
 * Random Fourier features approximating an RBF kernel of length scale ℓ.
 * @defaultValue seed = 0
 */
export function fourierBasis(options: { size: number; dim: number; lengthScale: number; seed?: number }): Basis {
  assertInteger('fourierBasis', 'size', options.size, 1);
  assertInteger('fourierBasis', 'dim', options.dim, 1);
  assertPositive('fourierBasis', 'lengthScale', options.lengthScale);
  const rng = createRng(options.seed ?? 0);
  const omega = sampleNormalArray(rng, options.size * options.dim, 0, 1 / options.lengthScale);
  const phase = Float64Array.from({ length: options.size }, () => 2 * Math.PI * rng.uniform());
  return fourierFromParams(omega, phase, options.size, options.dim);
}

/** Basis from its JSON. @throws DomainError for an unknown kind. */
export function basisFromJSON(json: BasisJSON): Basis {
  switch (json.kind) {
    case 'polynomial':
      return polynomialBasis(json.degree);
    case 'rbf':
      return rbfBasis(json.centers, json.lengthScale);
    case 'fourier': {
      const M = json.phase.length;
      const d = json.omega[0]?.length ?? 0;
      return fourierFromParams(Float64Array.from(json.omega.flat()), Float64Array.from(json.phase), M, d);
    }
    default:
      throw new DomainError(`basisFromJSON: unknown basis kind '${(json as { kind: string }).kind}'`);
  }
}

/** Validates inputs against a basis and returns Φ. */
export function designMatrix(basis: Basis, X: PointsInput, where: string, name: string): { phi: Float64Array; n: number } {
  const pts = toPoints(X, where, name);
  if (basis.dim !== undefined && pts.d !== basis.dim) {
    throw new DomainError(`${where}: argument '${name}' must have ${basis.dim} columns for this ${basis.kind} basis, got ${pts.d}`);
  }
  return { phi: basis.features(pts), n: pts.n };
}
