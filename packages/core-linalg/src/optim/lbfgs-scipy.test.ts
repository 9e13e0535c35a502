import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { minimizeLBFGS } from './lbfgs.js';

interface Case {
  name: string;
  x0: number[];
  lower: number[] | null;
  upper: number[] | null;
  x: number[];
  fun: number;
  nit: number;
}
// Produced by fixtures/optim-make-fixtures.py (SciPy L-BFGS-B with tight tolerances).
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/optim-lbfgs.json', import.meta.url), 'utf8')) as {
  cases: Case[];
};

type FG = (x: Float64Array) => { value: number; gradient: Float64Array };
const functions: Record<string, FG> = {
  rosenbrock: (x) => {
    const g = new Float64Array(x.length);
    let f = 0;
    for (let i = 0; i < x.length - 1; i++) {
      const a = x[i + 1]! - x[i]! ** 2;
      f += 100 * a * a + (1 - x[i]!) ** 2;
      g[i]! += -400 * x[i]! * a - 2 * (1 - x[i]!);
      g[i + 1]! += 200 * a;
    }
    return { value: f, gradient: g };
  },
  beale: (x) => {
    const [u, v] = [x[0]!, x[1]!];
    const a = 1.5 - u + u * v;
    const b = 2.25 - u + u * v * v;
    const c = 2.625 - u + u * v ** 3;
    return {
      value: a * a + b * b + c * c,
      gradient: new Float64Array([
        2 * a * (v - 1) + 2 * b * (v * v - 1) + 2 * c * (v ** 3 - 1),
        2 * a * u + 4 * b * u * v + 6 * c * u * v * v,
      ]),
    };
  },
  booth: (x) => {
    const a = x[0]! + 2 * x[1]! - 7;
    const b = 2 * x[0]! + x[1]! - 5;
    return { value: a * a + b * b, gradient: new Float64Array([2 * a + 4 * b, 4 * a + 2 * b]) };
  },
};

describe('support: L-BFGS reaches SciPy L-BFGS-B optima', () => {
  test.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const fg = functions[c.name.split('-')[0]!]!;
    const res = minimizeLBFGS(fg, c.x0, {
      gradTol: 1e-9,
      maxIterations: 2000,
      ...(c.lower ? { lower: c.lower } : {}),
      ...(c.upper ? { upper: c.upper } : {}),
    });
    expect(res.report.converged).toBe(true);
    expect(Math.abs(res.value - c.fun)).toBeLessThan(1e-10 * Math.max(1, Math.abs(c.fun)));
    for (let i = 0; i < c.x.length; i++) expect(Math.abs(res.x[i]! - c.x[i]!)).toBeLessThan(1e-6);
    // Same order of work as SciPy (a generous factor: different line searches and bound handling).
    expect(res.report.iterations).toBeLessThanOrEqual(3 * c.nit + 10);
  });
});
