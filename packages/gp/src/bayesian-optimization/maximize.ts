/**
 * Acquisition maximisation in a box $[l, u]^d$ (notes: $x_{t+1} = \arg\max_x \alpha(x\mid S_t)$):
 * score `candidates` uniform random points, then run core's bounded L-BFGS from the best `starts` of them
 * with central finite-difference gradients (step 1e-6 of the box width), keeping the best end point.
 * With `around` (e.g. the incumbent), half of the candidates are instead Gaussian perturbations of that
 * point (sd `perturbationScale` × box width, clipped to the box), as BoTorch's initial-condition heuristic
 * that mixes global (quasi-)random points with samples near the best observation (Balandat et al.,
 * "BoTorch", NeurIPS 2020, §D.1), so the local searches also start where the acquisition peak usually is.
 */
import { DomainError, NonFiniteError, type Rng, ShapeError, defineOptions, describeValue, minimizeLBFGS, readVector } from '@notes/core-linalg';

/** Options of {@link maximizeInBox}. */
export interface MaximizeOptions {
  /** Random points scored before the local searches. @defaultValue 512 */
  candidates?: number;
  /** L-BFGS starts (best candidates). @defaultValue 5 */
  starts?: number;
  /** L-BFGS iteration cap per start. @defaultValue 50 */
  maxIterations?: number;
  /** Point (same coordinates as the box) whose perturbations make up half the candidates. @defaultValue none */
  around?: ArrayLike<number>;
  /** Perturbation sd as a fraction of the box width. @defaultValue 0.1 */
  perturbationScale?: number;
}

const OPTIONS = defineOptions<MaximizeOptions>()('maximizeInBox', {
  candidates: { type: 'integer', min: 1, max: 1e7, default: 512, doc: 'random points scored' },
  starts: { type: 'integer', min: 0, max: 1e4, default: 5, doc: 'L-BFGS starts' },
  maxIterations: { type: 'integer', min: 1, max: 1e6, default: 50, doc: 'L-BFGS iterations per start' },
  around: { type: 'custom', expected: 'an array of numbers', check: (v) => Array.isArray(v) || ArrayBuffer.isView(v) },
  perturbationScale: { type: 'number', greaterThan: 0, default: 0.1, doc: 'perturbation sd / box width' },
});

/**
 * Multi-start maximisation of `f` over the box; returns the arg max and the value.
 * @throws ShapeError / DomainError / NonFiniteError for bad bounds, rng or options, or when f returns a
 *   non-number or NaN.
 */
export function maximizeInBox(
  f: (x: Float64Array) => number,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  rng: Rng,
  options: MaximizeOptions = {},
): { x: Float64Array; value: number } {
  const where = 'maximizeInBox';
  if (typeof f !== 'function') throw new DomainError(`${where}: argument 'f' must be a function, got ${describeValue(f)}`);
  const lo = readVector(where, 'lower', lower);
  const d = lo.length;
  const hi = readVector(where, 'upper', upper, { length: d });
  for (let j = 0; j < d; j++) {
    if (!((hi[j] as number) > (lo[j] as number)) || !Number.isFinite((hi[j] as number) - (lo[j] as number))) {
      throw new DomainError(`${where}: the box must satisfy lower < upper with a finite width, got [${lo[j]}, ${hi[j]}] at [${j}]`);
    }
  }
  if (typeof rng !== 'object' || rng === null || typeof rng.uniform !== 'function' || typeof rng.normal !== 'function') {
    throw new DomainError(`${where}: argument 'rng' must be a generator from createRng, got ${describeValue(rng)}`);
  }
  const o = OPTIONS.parse(options);
  const around = o.around === undefined ? undefined : readVector(where, 'options.around', o.around, { length: d });
  if (d === 0) throw new ShapeError(`${where}: the box must not be empty`);
  const checked = (x: Float64Array): number => {
    const v = f(x);
    if (typeof v !== 'number') throw new DomainError(`${where}: f must return a number, got ${describeValue(v)}`);
    if (Number.isNaN(v)) throw new NonFiniteError(`${where}: f returned NaN at [${Array.from(x).join(', ')}]`);
    return v;
  };
  return search(checked, lo, hi, rng, { ...o, around });
}

function search(
  f: (x: Float64Array) => number,
  lower: Float64Array,
  upper: Float64Array,
  rng: Rng,
  o: { candidates: number; starts: number; maxIterations: number; perturbationScale: number; around: Float64Array | undefined },
): { x: Float64Array; value: number } {
  const d = lower.length;
  const scored: { x: Float64Array; v: number }[] = [];
  const around = o.around;
  const nLocal = around ? Math.floor(o.candidates / 2) : 0;
  for (let c = 0; c < o.candidates; c++) {
    const x =
      around && c < nLocal
        ? Float64Array.from({ length: d }, (_, j) =>
            Math.min(upper[j], Math.max(lower[j], around[j] + o.perturbationScale * (upper[j] - lower[j]) * rng.normal())),
          )
        : Float64Array.from({ length: d }, (_, j) => lower[j] + (upper[j] - lower[j]) * rng.uniform());
    scored.push({ x, v: f(x) });
  }
  scored.sort((a, b) => b.v - a.v);
  let best = scored[0];
  for (let s = 0; s < Math.min(o.starts, scored.length); s++) {
    const fg = (x: Float64Array) => {
      const value = -f(x);
      const gradient = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        const h = 1e-6 * (upper[j] - lower[j]);
        const xp = x.slice();
        const xm = x.slice();
        xp[j] = Math.min(upper[j], x[j] + h);
        xm[j] = Math.max(lower[j], x[j] - h);
        gradient[j] = -(f(xp) - f(xm)) / (xp[j] - xm[j]);
      }
      return { value, gradient };
    };
    if (!Number.isFinite(scored[s].v)) continue;
    const r = minimizeLBFGS(fg, scored[s].x, { lower, upper, maxIterations: o.maxIterations, gradTol: 1e-9 });
    if (-r.value > best.v) best = { x: r.x, v: -r.value };
  }
  return { x: best.x, value: best.v };
}
