/**
 * The PacGAN evaluation protocol for 2-D mixtures (Lin, Khetan, Fanti & Oh 2018, §4; after
 * Srivastava et al. 2017): modes, sampling, and mode-coverage metrics of generated samples.
 */
import { DomainError, describeValue, fromRowMajor, type RandomnessOptions, readMatrix, resolveRng } from '@notes/core-linalg';
import type { Matrix } from 'ml-matrix';

/** The ring: 8 modes equally spaced on the unit circle (PacGAN uses σ = 0.01). */
export function ringModes(): number[][] {
  return Array.from({ length: 8 }, (_, k) => [Math.cos((2 * Math.PI * k) / 8), Math.sin((2 * Math.PI * k) / 8)]);
}

/** The grid: 25 modes at {−4, −2, 0, 2, 4}² (PacGAN uses σ = 0.05). */
export function gridModes(): number[][] {
  const out: number[][] = [];
  for (const x of [-4, -2, 0, 2, 4]) for (const y of [-4, -2, 0, 2, 4]) out.push([x, y]);
  return out;
}

function readSd(where: string, sd: unknown): number {
  if (typeof sd !== 'number' || !(sd > 0) || !Number.isFinite(sd)) {
    throw new DomainError(`${where}: argument 'sd' must be a finite number > 0, got ${describeValue(sd)}`);
  }
  return sd;
}

/**
 * n samples of the equal-weight mixture of N(mode_k, sd²·I).
 * @throws ShapeError/NonFiniteError for bad modes; DomainError for bad n, sd, seed.
 */
export function sampleMixture(modes: unknown, sd: number, n: number, options: RandomnessOptions = {}): Matrix {
  const where = 'sampleMixture';
  const m = readMatrix(where, 'modes', modes);
  readSd(where, sd);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1e7) {
    throw new DomainError(`${where}: argument 'n' must be an integer in [1, 1e7], got ${describeValue(n)}`);
  }
  const rng = resolveRng(where, options, 0);
  const out = new Float64Array(n * m.columns);
  for (let i = 0; i < n; i++) {
    const k = Math.min(m.rows - 1, Math.floor(rng.uniform() * m.rows));
    for (let j = 0; j < m.columns; j++) out[i * m.columns + j] = m.data[k * m.columns + j]! + sd * rng.normal();
  }
  return fromRowMajor(out, n, m.columns);
}

/** Result of {@link modeCoverage}. */
export interface ModeCoverage {
  /** Modes with at least one sample within 3σ. */
  readonly modesCaptured: number;
  /** Fraction of samples within 3σ of their nearest mode. */
  readonly highQualityFraction: number;
  /**
   * KL(q‖u) between the histogram q of all samples over their nearest modes and the uniform
   * distribution u over the K modes (0 when every mode gets the same share, log K when one takes all).
   */
  readonly reverseKl: number;
  /** Samples whose nearest mode is k. */
  readonly counts: Int32Array;
}

/**
 * PacGAN's metrics of samples against a mixture with the given modes and standard deviation: a mode is
 * captured when some sample lies within 3σ of it; a sample is high-quality when within 3σ of its nearest
 * mode; reverse KL between the mode histogram and the uniform one.
 * @throws ShapeError/NonFiniteError for bad samples or modes (different dimensions); DomainError for sd.
 */
export function modeCoverage(samples: unknown, modes: unknown, sd: number): ModeCoverage {
  const where = 'modeCoverage';
  const s = readMatrix(where, 'samples', samples);
  const m = readMatrix(where, 'modes', modes, { columns: s.columns });
  readSd(where, sd);
  const K = m.rows;
  const d = s.columns;
  const counts = new Int32Array(K);
  const captured = new Uint8Array(K);
  let hq = 0;
  const r2 = 9 * sd * sd;
  for (let i = 0; i < s.rows; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let k = 0; k < K; k++) {
      let dd = 0;
      for (let j = 0; j < d; j++) {
        const t = s.data[i * d + j]! - m.data[k * d + j]!;
        dd += t * t;
      }
      if (dd < bestD) {
        bestD = dd;
        best = k;
      }
    }
    counts[best]! += 1;
    if (bestD <= r2) {
      hq++;
      captured[best] = 1;
    }
  }
  let kl = 0;
  for (let k = 0; k < K; k++) {
    const q = counts[k]! / s.rows;
    if (q > 0) kl += q * Math.log(q * K);
  }
  return Object.freeze({
    modesCaptured: captured.reduce((a, b) => a + b, 0),
    highQualityFraction: hq / s.rows,
    reverseKl: Math.max(0, kl),
    counts,
  });
}
