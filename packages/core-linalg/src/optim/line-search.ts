/**
 * Strong-Wolfe line search (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Alg. 3.5 and 3.6 with
 * safeguarded cubic interpolation in `zoom`).
 * @internal
 */

/** One trial point of the line search: $\phi(\alpha) = f(x + \alpha d)$ and $\phi'(\alpha) = \nabla f^\top d$. */
export interface Trial {
  alpha: number;
  f: number;
  d: number;
  x: Float64Array;
  g: Float64Array;
}

/** Outcome of the line search: the accepted trial (null if none) and how it was accepted. */
export interface LineSearchResult {
  trial: Trial | null;
  /** `'wolfe'`: both strong-Wolfe conditions hold; `'armijo'`: sufficient decrease only (step cap or budget). */
  status: 'wolfe' | 'armijo' | 'failed';
  evaluations: number;
}

/** Strong-Wolfe constants and the evaluation budget. */
export interface LineSearchParams {
  /** Sufficient-decrease constant: $\phi(\alpha)\le\phi(0)+c_1\alpha\phi'(0)$. */
  c1: number;
  /** Curvature constant: $|\phi'(\alpha)|\le c_2|\phi'(0)|$. */
  c2: number;
  /** Function evaluations allowed in one search. */
  maxEvaluations: number;
}

/** Cubic interpolation minimiser between (a, fa, da) and (b, fb, db), safeguarded to the middle 80 %. */
function cubicStep(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  let t: number;
  if (disc >= 0 && Number.isFinite(disc)) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
  } else {
    t = 0.5 * (a + b);
  }
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  const margin = 0.1 * (hi - lo);
  if (!Number.isFinite(t) || t < lo + margin || t > hi - margin) t = 0.5 * (a + b);
  return t;
}

/**
 * Finds α in (0, alphaMax] with $\phi(\alpha) \le \phi(0) + c_1\alpha\phi'(0)$ and
 * $|\phi'(\alpha)| \le c_2|\phi'(0)|$, or (approximate Wolfe) $\phi(\alpha) \le \phi(0) + 10^{-12}|\phi(0)|$
 * with the same curvature bound. A non-finite φ counts as "too large" (the step shrinks).
 * If the step cap is reached with sufficient decrease, returns it with status `'armijo'`.
 */
export function strongWolfe(
  phi: (alpha: number) => Trial,
  f0: number,
  d0: number,
  alpha0: number,
  alphaMax: number,
  p: LineSearchParams,
): LineSearchResult {
  let evaluations = 0;
  const eval_ = (a: number): Trial => {
    evaluations++;
    return phi(a);
  };
  const armijo = (t: Trial): boolean => Number.isFinite(t.f) && t.f <= f0 + p.c1 * t.alpha * d0;
  const curvature = (t: Trial): boolean => Math.abs(t.d) <= -p.c2 * d0;
  // Approximate Wolfe (Hager & Zhang, SIAM J. Optim. 16(1), 2005, eq. 4.1 with ε = 1e-12): near a minimum,
  // f differences drown in rounding, so a point with strong curvature and f within 1e-12·|f₀| is accepted.
  const epsF = 1e-12 * Math.abs(f0);
  const approxWolfe = (t: Trial): boolean => Number.isFinite(t.f) && t.f <= f0 + epsF && curvature(t);
  let prev: Trial = { alpha: 0, f: f0, d: d0, x: new Float64Array(0), g: new Float64Array(0) };
  let best: Trial | null = null;
  let alpha = Math.min(alpha0, alphaMax);

  const zoom = (loIn: Trial, hiIn: Trial): LineSearchResult => {
    let lo = loIn;
    let hi = hiIn;
    while (evaluations < p.maxEvaluations) {
      const a =
        Number.isFinite(hi.f) && Number.isFinite(hi.d)
          ? cubicStep(lo.alpha, lo.f, lo.d, hi.alpha, hi.f, hi.d)
          : lo.alpha + 0.5 * (hi.alpha - lo.alpha);
      if (Math.abs(hi.alpha - lo.alpha) <= 1e-16 * Math.max(1, lo.alpha)) break;
      const t = eval_(a);
      if (!armijo(t) && approxWolfe(t)) return { trial: t, status: 'wolfe', evaluations };
      if (!armijo(t) || t.f >= lo.f) {
        hi = t;
      } else {
        if (curvature(t)) return { trial: t, status: 'wolfe', evaluations };
        if (t.d * (hi.alpha - lo.alpha) >= 0) hi = lo;
        lo = t;
      }
    }
    return lo.alpha > 0 ? { trial: lo, status: 'armijo', evaluations } : { trial: null, status: 'failed', evaluations };
  };

  for (let i = 0; evaluations < p.maxEvaluations; i++) {
    const t = eval_(alpha);
    if (!armijo(t) && approxWolfe(t)) return { trial: t, status: 'wolfe', evaluations };
    if (!armijo(t) || (i > 0 && t.f >= prev.f)) return zoom(prev, t);
    best = t;
    if (curvature(t)) return { trial: t, status: 'wolfe', evaluations };
    if (t.d >= 0) return zoom(t, prev);
    if (alpha >= alphaMax) return { trial: t, status: 'armijo', evaluations };
    prev = t;
    alpha = Math.min(4 * alpha, alphaMax);
  }
  return best ? { trial: best, status: 'armijo', evaluations } : { trial: null, status: 'failed', evaluations };
}
