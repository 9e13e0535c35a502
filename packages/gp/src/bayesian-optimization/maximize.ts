/**
 * Acquisition maximisation in a box $[l, u]^d$ (notes: $x_{t+1} = \arg\max_x \alpha(x\mid S_t)$):
 * score `candidates` uniform random points, then run core's bounded L-BFGS from the best `starts` of them
 * with central finite-difference gradients (step 1e-6 of the box width), keeping the best end point.
 */
import { type Rng, minimizeLBFGS } from '@notes/core-linalg';

/** Options of {@link maximizeInBox}. */
export interface MaximizeOptions {
  /** Random points scored before the local searches. @defaultValue 512 */
  candidates?: number;
  /** L-BFGS starts (best candidates). @defaultValue 5 */
  starts?: number;
  /** L-BFGS iteration cap per start. @defaultValue 50 */
  maxIterations?: number;
}

const DEFAULTS = { candidates: 512, starts: 5, maxIterations: 50 } satisfies Required<MaximizeOptions>;

/** Multi-start maximisation of `f` over the box; returns the arg max and the value. */
export function maximizeInBox(
  f: (x: Float64Array) => number,
  lower: Float64Array,
  upper: Float64Array,
  rng: Rng,
  options: MaximizeOptions = {},
): { x: Float64Array; value: number } {
  const o = { ...DEFAULTS, ...options };
  const d = lower.length;
  const scored: { x: Float64Array; v: number }[] = [];
  for (let c = 0; c < o.candidates; c++) {
    const x = Float64Array.from({ length: d }, (_, j) => lower[j] + (upper[j] - lower[j]) * rng.uniform());
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
