import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { maximizeInBox } from './maximize.js';

describe('Bayesian optimization: acquisition maximisation around the incumbent', () => {
  // A needle of width 0.01 at c in [0,1]^6: uniform candidates essentially never see it (value < 1e-30).
  const c = Float64Array.of(0.3, 0.7, 0.5, 0.2, 0.9, 0.4);
  const f = (x: Float64Array) => {
    let s = 0;
    for (let j = 0; j < 6; j++) s += (x[j] - c[j]) ** 2;
    return Math.exp(-s / 2e-4);
  };
  const lo = new Float64Array(6);
  const hi = new Float64Array(6).fill(1);
  test('perturbations of a point near the peak find it; uniform candidates alone do not', () => {
    const near = Float64Array.from(c, (v) => v + 0.005);
    const local = maximizeInBox(f, lo, hi, createRng(1), { candidates: 64, around: near, perturbationScale: 0.005 });
    expect(local.value).toBeGreaterThan(0.999);
    const global = maximizeInBox(f, lo, hi, createRng(1), { candidates: 64 });
    expect(global.value).toBeLessThan(1e-6);
  });
});
