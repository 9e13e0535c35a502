/**
 * Acquisition maximisation in a box $[l, u]^d$ (notes: $x_{t+1} = \arg\max_x \alpha(x\mid S_t)$):
 * score `candidates` uniform random points, then run core's bounded L-BFGS from the best `starts` of them
 * with central finite-difference gradients (step 1e-6 of the box width), keeping the best end point.
 * With `around` (e.g. the incumbent), half of the candidates are instead Gaussian perturbations of that
 * point (sd `perturbationScale` × box width, clipped to the box), as BoTorch's initial-condition heuristic
 * that mixes global (quasi-)random points with samples near the best observation (Balandat et al.,
 * "BoTorch", NeurIPS 2020, §D.1), so the local searches also start where the acquisition peak usually is.
 */
import { type Rng, minimizeLBFGS, withDefaults } from '@notes/core-linalg';

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

const DEFAULTS = { candidates: 512, starts: 5, maxIterations: 50, perturbationScale: 0.1 } satisfies Required<
  Omit<MaximizeOptions, 'around'>
>;

/** Multi-start maximisation of `f` over the box; returns the arg max and the value. */
export function maximizeInBox(
  f: (x: Float64Array) => number,
  lower: Float64Array,
  upper: Float64Array,
  rng: Rng,
  options: MaximizeOptions = {},
): { x: Float64Array; value: number } {
  const o = withDefaults(DEFAULTS, options);
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
    const r = minimizeLBFGS(fg, scored[s].x, { lower, upper, maxIterations: o.maxIterations, gradTol: 1e-9 });
    if (-r.value > best.v) best = { x: r.x, v: -r.value };
  }
  return { x: best.x, value: best.v };
}
