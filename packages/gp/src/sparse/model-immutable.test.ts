// SGPR and SVGP models own their arrays (docs/conventions.md §1, §4): writing into `inducing` or `qMean`
// as returned by the model changes neither its predictions nor its JSON.
import { describe, expect, test } from 'vitest';
import { fitSGPR, fitSVGP } from './index.js';

const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(0.7 * i)]);
const y = X.map((r) => (r[0] as number) * (r[1] as number) + 0.1 * Math.sin(5 * (r[0] as number)));
const Xs = [[0.1, 0.2], [-0.5, 0.4], [0.9, -0.8]];
const Z = [[0.1, 0.2], [0.5, -0.3], [-0.4, 0.6], [0.8, 0.8]];

function snapshot(m: { predict(x: number[][]): { mean: Float64Array; variance: Float64Array }; toJSON(): unknown }) {
  const p = m.predict(Xs);
  return JSON.stringify({ mean: Array.from(p.mean), variance: Array.from(p.variance), json: m.toJSON() });
}

describe('sparse GP models own their arrays', () => {
  test('SGPRModel: writing into model.inducing changes nothing', () => {
    const m = fitSGPR(X, y, { inducing: Z, maxIterations: 5 });
    const before = snapshot(m);
    const ind = m.inducing;
    ind.fill(7);
    expect(snapshot(m)).toBe(before);
    expect(Array.from(m.inducing)).not.toContain(7);
  });

  test('SVGPModel: writing into model.inducing or model.qMean changes nothing', () => {
    const m = fitSVGP(X, y, { inducing: Z, epochs: 2, batchSize: 10, seed: 1 });
    const before = snapshot(m);
    m.inducing.fill(7);
    m.qMean.fill(7);
    expect(snapshot(m)).toBe(before);
    expect(Array.from(m.inducing)).not.toContain(7);
    expect(Array.from(m.qMean)).not.toContain(7);
  });
});
