import { createRng, gammaincUpper } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import {
  createNVIL,
  EXAMPLE_LOGITS,
  estimateOptimalBaseline,
  estimatorVarianceTable,
  exactGradient,
  exampleObjective,
  gradientStatistics,
  gumbelMax,
  gumbelSoftmax,
  gumbelSoftmaxGradient,
  muPropGradient,
  optimalBaseline,
  reinforceGradient,
  reinforceVariance,
} from './index.js';
import { categoricalScore } from './objective.js';

const obj = exampleObjective();
const phi = EXAMPLE_LOGITS;
const exact = exactGradient(obj, phi).gradient;

describe('Discrete Latent Variables: exact gradient by enumeration', () => {
  test('exactGradient matches central finite differences of the enumerated objective', () => {
    const h = 1e-6;
    for (let j = 0; j < 5; j++) {
      const up = [...phi];
      const dn = [...phi];
      up[j] = (up[j] as number) + h;
      dn[j] = (dn[j] as number) - h;
      const fd = (exactGradient(obj, up).value - exactGradient(obj, dn).value) / (2 * h);
      expect(Math.abs(fd - (exact[j] as number))).toBeLessThan(1e-7);
    }
  });
});

describe('Gumbel-SoftMax trick: Gumbel-max sampling', () => {
  test('Gumbel-max frequencies are categorical (chi-square test, fixed seed)', () => {
    const logits = [0.3, -1, 2, 0.5, -0.2];
    const m = Math.max(...logits);
    const z = logits.reduce((s, v) => s + Math.exp(v - m), 0);
    const p = logits.map((v) => Math.exp(v - m) / z);
    const rng = createRng(17);
    const N = 20000;
    const counts = new Array(5).fill(0);
    for (let t = 0; t < N; t++) counts[gumbelMax(logits, rng)] += 1;
    const chi2 = counts.reduce((s, c, k) => s + (c - N * (p[k] as number)) ** 2 / (N * (p[k] as number)), 0);
    const pValue = gammaincUpper(chi2 / 2, 2); // χ²₄ survival function
    expect(pValue).toBeGreaterThan(0.001);
  });

  test('the soft sample lies on the simplex, its argmax is the Gumbel-max draw, and τ → 0 approaches one-hot', () => {
    const rng = createRng(2);
    for (const tau of [5, 1, 0.05]) {
      const s = gumbelSoftmax(phi, rng, { temperature: tau });
      expect(Math.abs(s.soft.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-12);
      const am = s.soft.indexOf(Math.max(...s.soft));
      expect(am).toBe(s.hard);
      if (tau === 0.05) expect(s.soft[s.hard]).toBeGreaterThan(0.9);
    }
    expect(() => gumbelSoftmax(phi, rng, { temperature: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test("Gumbel-softmax's bias shrinks as the temperature falls (and its variance grows)", () => {
    const rng = createRng(5);
    // squared bias estimated without the sampling noise: ‖ḡ − g*‖² − Σ SE²
    const rows = [2, 1, 0.5, 0.25].map((tau) => {
      const s = gradientStatistics(() => gumbelSoftmaxGradient(obj, phi, rng, { temperature: tau }), 30000, exact);
      const raw = s.mean.reduce((a, m, j) => a + (m - (exact[j] as number)) ** 2, 0);
      const noise = s.standardError.reduce((a, v) => a + v * v, 0);
      return { bias2: raw - noise, variance: s.totalVariance };
    });
    for (let i = 1; i < rows.length; i++) {
      const a = rows[i - 1] as { bias2: number; variance: number };
      const b = rows[i] as { bias2: number; variance: number };
      expect(b.bias2).toBeLessThan(a.bias2);
      expect(b.variance).toBeGreaterThan(a.variance);
    }
    expect((rows[3] as { bias2: number }).bias2).toBeLessThan(0.1 * (rows[0] as { bias2: number }).bias2);
  });

  test('straight-through gradient uses ∇f at the one-hot sample', () => {
    // with f linear in z, ∇f is constant, so ST and soft estimates coincide for the same noise
    const lin = { categories: 3, f: (z: Float64Array) => 2 * (z[0] as number) - (z[2] as number), gradF: () => Float64Array.from([2, 0, -1]) };
    const a = gumbelSoftmaxGradient(lin, [0, 1, 2], createRng(4), { temperature: 0.7 });
    const b = gumbelSoftmaxGradient(lin, [0, 1, 2], createRng(4), { temperature: 0.7, straightThrough: true });
    expect(Array.from(a)).toEqual(Array.from(b));
    const quad = { ...lin, gradF: (z: Float64Array) => Float64Array.from(z, (v) => 2 * v) };
    const c = gumbelSoftmaxGradient(quad, [0, 1, 2], createRng(4), { temperature: 0.7 });
    const d = gumbelSoftmaxGradient(quad, [0, 1, 2], createRng(4), { temperature: 0.7, straightThrough: true });
    expect(Array.from(c)).not.toEqual(Array.from(d));
  });
});

describe('Reinforce estimator and Control Variates: unbiased within 4 SE, variance ordering', () => {
  const N = 12000;
  test('REINFORCE, REINFORCE + c*, NVIL and MuProp are unbiased (|mean − exact| < 4 SE per coordinate)', () => {
    const rng = createRng(11);
    const cStar = optimalBaseline(obj, phi);
    const nvil = createNVIL({ contexts: 4 });
    const estimators: [string, () => Float64Array][] = [
      ['reinforce', () => reinforceGradient(obj, phi, rng)],
      ['reinforce+c*', () => reinforceGradient(obj, phi, rng, { baseline: cStar })],
      ['nvil (learning while sampling)', () => nvil.gradient(obj, phi, rng).unbiasedGradient],
      ['muprop', () => muPropGradient(obj, phi, rng)],
    ];
    for (const [, draw] of estimators) expect(gradientStatistics(draw, N, exact).maxZ).toBeLessThan(4);
  });

  test('c* minimises the exact variance over constants; REINFORCE is shift-sensitive, c* is not', () => {
    const cStar = optimalBaseline(obj, phi);
    const vStar = reinforceVariance(obj, phi, cStar);
    for (const dc of [-3, -0.5, -0.05, 0.05, 0.5, 3]) expect(reinforceVariance(obj, phi, cStar + dc)).toBeGreaterThan(vStar);
    expect(reinforceVariance(obj, phi, 0)).toBeGreaterThan(vStar);
    const shifted = exampleObjective(10);
    expect(reinforceVariance(shifted, phi, 0)).toBeGreaterThan(4 * reinforceVariance(obj, phi, 0));
    expect(Math.abs(reinforceVariance(shifted, phi, optimalBaseline(shifted, phi)) - vStar)).toBeLessThan(1e-9);
    // the exact variance agrees with the sampled one (within 5 %, 20 000 draws)
    const rng = createRng(3);
    const s = gradientStatistics(() => reinforceGradient(obj, phi, rng, { baseline: cStar }), 20000);
    expect(Math.abs(s.totalVariance - vStar) / vStar).toBeLessThan(0.05);
    // pilot-sample estimate of c* is close to the exact one
    const fs: number[] = [];
    const ss: Float64Array[] = [];
    const p = Float64Array.from(phi, (v) => Math.exp(v));
    const tot = p.reduce((a, b) => a + b, 0);
    for (let t = 0; t < 20000; t++) {
      const x = Math.floor(rng.uniform() * 4);
      const k = gumbelMax(phi, rng);
      const z = new Float64Array(5);
      z[k] = 1;
      fs.push(obj.f(z, x));
      ss.push(categoricalScore(k, p.map((v) => v / tot)));
    }
    expect(Math.abs(estimateOptimalBaseline(fs, ss) - cStar)).toBeLessThan(0.1 * Math.abs(cStar) + 0.1);
  });

  test('variance ordering: REINFORCE > REINFORCE + c* > NVIL > MuProp on the example problem', () => {
    const table = estimatorVarianceTable(8000, 7);
    const v = Object.fromEntries(table.map((r) => [r.estimator, r]));
    const get = (k: string) => (v[k] as { totalVariance: number; exactVariance: number | null });
    expect(get('REINFORCE').exactVariance as number).toBeGreaterThan(get('REINFORCE + c*').exactVariance as number);
    expect(get('REINFORCE + c*').totalVariance).toBeGreaterThan(2 * get('NVIL (b(x), unnormalised)').totalVariance);
    expect(get('NVIL (b(x), unnormalised)').totalVariance).toBeGreaterThan(1.5 * get('MuProp').totalVariance);
    for (const r of table) if (!r.estimator.startsWith('Gumbel') && !r.estimator.startsWith('Straight')) expect(r.maxZ).toBeLessThan(4);
  });

  test('NVIL: the baseline learns E[f | x]; the normalised gradient is a positive rescaling', () => {
    const rng = createRng(8);
    const nvil = createNVIL({ contexts: 4, lr: 0.05 });
    let last = nvil.gradient(obj, phi, rng);
    for (let t = 0; t < 4000; t++) last = nvil.gradient(obj, phi, rng);
    const b = nvil.baseline();
    for (let x = 0; x < 4; x++) {
      const condMean = exactGradient({ ...obj, contexts: 1, f: (z) => obj.f(z, x) }, phi).value;
      expect(Math.abs((b[x] as number) - condMean)).toBeLessThan(1);
    }
    const ratio = (last.gradient[0] as number) / (last.unbiasedGradient[0] as number);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
    last.gradient.forEach((g, j) => {
      expect(Math.abs(g - ratio * (last.unbiasedGradient[j] as number))).toBeLessThan(1e-12);
    });
  });

  test('bad input', () => {
    const rng = createRng(1);
    expect(() => reinforceGradient(obj, [1, 2], rng)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => reinforceGradient(obj, [1, 2, Number.NaN, 0, 0], rng)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => muPropGradient({ categories: 2, f: () => 1 }, [0, 0], rng)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => createNVIL({ contexts: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => gumbelSoftmaxGradient(obj, phi, rng, { samples: 0 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => gumbelSoftmaxGradient({ categories: 5, f: () => 0 }, phi, rng)).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => reinforceGradient(obj, phi, rng, { samples: 1.5 })).toThrow(expect.objectContaining({ code: 'domain' }));
    expect(() => gradientStatistics(() => new Float64Array(1), 1)).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('an objective whose f or ∇f is NaN/±Infinity, or ∇f of the wrong length, gives typed errors in every estimator', () => {
    const rng = createRng(6);
    const nanF = { categories: 3, f: (z: Float64Array) => ((z[1] as number) > 0.3 ? Number.NaN : 1), gradF: () => Float64Array.of(1, 0, 0) };
    const nonFinite = expect.objectContaining({ code: 'non-finite' });
    const lg = [0, 0, 0];
    expect(() => exactGradient(nanF, lg)).toThrow(nonFinite);
    expect(() => reinforceGradient(nanF, lg, rng, { samples: 200 })).toThrow(nonFinite);
    expect(() => reinforceVariance(nanF, lg)).toThrow(nonFinite);
    expect(() => optimalBaseline(nanF, lg)).toThrow(nonFinite);
    expect(() => muPropGradient(nanF, lg, rng)).toThrow(nonFinite); // f(π) with π₁ = 1/3
    expect(() => {
      const nv = createNVIL();
      for (let t = 0; t < 200; t++) nv.gradient(nanF, lg, rng);
    }).toThrow(nonFinite);
    const badGrad = { categories: 3, f: () => 1, gradF: (z: Float64Array) => Float64Array.of(Number.POSITIVE_INFINITY, z[0] as number, 0) };
    expect(() => gumbelSoftmaxGradient(badGrad, lg, rng)).toThrow(nonFinite);
    expect(() => muPropGradient(badGrad, lg, rng)).toThrow(nonFinite);
    const shortGrad = { categories: 3, f: () => 1, gradF: () => Float64Array.of(1, 2) };
    expect(() => gumbelSoftmaxGradient(shortGrad, lg, rng)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => reinforceVariance(obj, phi, Number.NaN)).toThrow(nonFinite);
    expect(() => estimateOptimalBaseline([Number.NaN, 1], [Float64Array.of(1, 0), Float64Array.of(0, 1)])).toThrow(nonFinite);
    expect(() => estimateOptimalBaseline([1, 2], [Float64Array.of(0, 0), Float64Array.of(0, 0)])).toThrow(expect.objectContaining({ code: 'domain' }));
  });

  test('gradientStatistics cannot pass a broken estimator: NaN draws, ragged draws and a wrong-length exact gradient throw', () => {
    // before: NaN draws gave maxZ = 0 (NaN comparisons are false), so "unbiased within 4 SE" passed
    expect(() => gradientStatistics(() => Float64Array.of(Number.NaN, 1), 5, [0, 1])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => gradientStatistics(() => Float64Array.of(1, Number.POSITIVE_INFINITY), 5)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    let t = 0;
    expect(() => gradientStatistics(() => new Float64Array(t++ === 0 ? 2 : 3), 5)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => gradientStatistics(() => Float64Array.of(1, 2), 5, [1])).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => gradientStatistics(() => Float64Array.of(1, 2), 5, [1, Number.NaN])).toThrow(expect.objectContaining({ code: 'non-finite' }));
    // a constant estimator equal to the exact value has maxZ 0; one off by 1e-3 has maxZ ∞
    expect(gradientStatistics(() => Float64Array.of(1, 2), 5, [1, 2]).maxZ).toBe(0);
    expect(gradientStatistics(() => Float64Array.of(1, 2), 5, [1, 2.001]).maxZ).toBe(Number.POSITIVE_INFINITY);
  });

  test('Gumbel-max and Gumbel-softmax reject NaN, ±Infinity and empty logits instead of drawing from them', () => {
    const rng = createRng(2);
    for (const bad of [[0, Number.NaN, 1], [0, Number.POSITIVE_INFINITY], [Number.NEGATIVE_INFINITY, 0]]) {
      expect(() => gumbelMax(bad, rng)).toThrow(expect.objectContaining({ code: 'non-finite' }));
      expect(() => gumbelSoftmax(bad, rng)).toThrow(expect.objectContaining({ code: 'non-finite' }));
    }
    expect(() => gumbelMax([], rng)).toThrow(expect.objectContaining({ code: 'shape' }));
    expect(() => gumbelSoftmax([], rng)).toThrow(expect.objectContaining({ code: 'shape' }));
  });
});
