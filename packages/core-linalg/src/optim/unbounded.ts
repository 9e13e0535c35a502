/**
 * Evidence that an objective is unbounded below, for {@link minimizeLBFGS}'s `'unbounded'` stop reason.
 */

/**
 * An objective value at or below this (including −∞) makes `minimizeLBFGS` stop with reason
 * `'unbounded'`: no sensible minimisation problem has its minimum within a few decades of −Number.MAX_VALUE.
 */
export const LBFGS_UNBOUNDED_VALUE = -1e300;

/**
 * Run-away factor of the `'unbounded'` test at a non-gradient stop: f below
 * $f(x_0) - R\max(1, |f(x_0)|)$ and $\|x - x_0\|_\infty > R\max(1, \|x_0\|_\infty)$ with $R = 10^{10}$.
 * On a function unbounded below the iterates run to ±2⁵⁵-ish, where steps fall below float resolution
 * and the relative f-change test would otherwise pass.
 */
export const LBFGS_RUNAWAY_FACTOR = 1e10;

/**
 * True when f fell by more than $R\max(1, |f_0|)$ while x moved more than $R\max(1, \|x_0\|_\infty)$
 * ($R$ = {@link LBFGS_RUNAWAY_FACTOR}): a run towards −∞ rather than a stop near a minimum.
 * @internal
 */
export function ranAway(f0: number, f: number, x0: Float64Array, x: Float64Array): boolean {
  if (!(f < f0 - LBFGS_RUNAWAY_FACTOR * Math.max(1, Math.abs(f0)))) return false;
  let x0Norm = 0;
  let moved = 0;
  for (let i = 0; i < x.length; i++) {
    x0Norm = Math.max(x0Norm, Math.abs(x0[i]!));
    moved = Math.max(moved, Math.abs(x[i]! - x0[i]!));
  }
  return moved > LBFGS_RUNAWAY_FACTOR * Math.max(1, x0Norm);
}
