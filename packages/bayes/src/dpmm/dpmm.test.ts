import { createRng } from '@notes/core-linalg';
import { describe, expect, test } from 'vitest';
import { normalKnownVariance } from '../conjugate/normal-known-variance.js';
import { normalWishart } from '../conjugate/normal-wishart.js';
import { logIntegrate2D } from '../testing/quadrature.js';
import { adjustedRandIndex } from './ari.js';
import { Cluster, createFamily, type DPMMBase } from './families.js';
import { fitDPMM } from './fit-dpmm.js';
import { DPMMModel } from './model.js';
import { FOUR_CENTERS, gaussianClusters } from './testdata.js';

const NW: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.05, df: 4, scale: [[0.5, 0], [0, 0.5]] };
const KNOWN: DPMMBase = { type: 'normal', mean: [0, 0], covariance: [[25, 0], [0, 25]], noiseCovariance: [[0.25, 0], [0, 0.25]] };

function clusterOf(fam: ReturnType<typeof createFamily>, rows: number[][]): Cluster {
  const c = new Cluster(fam.d);
  for (const r of rows) c.add(r, 0, fam.d, 1);
  fam.refresh(c);
  return c;
}

describe('DPMM with Gibbs sampling: cluster families', () => {
  test('Normal–Wishart cluster evidence and predictive equal the (quadrature-checked) conjugate model', () => {
    const rows = [[0.3, 1.1], [1.4, 0.2], [-0.6, 0.9]];
    const fam = createFamily(NW, 2);
    const nw = normalWishart({ mean: [0, 0], kappa: 0.05, df: 4, scale: [[0.5, 0], [0, 0.5]] });
    const c = clusterOf(fam, rows);
    expect(fam.logEvidence(c)).toBeCloseTo(nw.logMarginalLikelihood(rows), 10);
    const y = [0.5, -0.2];
    expect(fam.logPred(c, y, 0, new Float64Array(4))).toBeCloseTo(nw.update(rows).predictive().logPdf(Float64Array.from(y)), 10);
  });
  test('known-covariance (diagonal) cluster evidence factorises into 1-D Gaussian-mean models', () => {
    const rows = [[0.3, 1.1], [1.4, 0.2], [-0.6, 0.9]];
    const fam = createFamily(KNOWN, 2);
    const c = clusterOf(fam, rows);
    const m1 = normalKnownVariance({ mean: 0, variance: 25, noiseVariance: 0.25 });
    const want = m1.logMarginalLikelihood(rows.map((r) => r[0]!)) + m1.logMarginalLikelihood(rows.map((r) => r[1]!));
    expect(fam.logEvidence(c)).toBeCloseTo(want, 10);
    const p0 = m1.update(rows.map((r) => r[0]!)).predictive().logPdf(0.5);
    const p1 = m1.update(rows.map((r) => r[1]!)).predictive().logPdf(-0.2);
    expect(fam.logPred(c, [0.5, -0.2], 0, new Float64Array(4))).toBeCloseTo(p0 + p1, 10);
  });
});

describe('DPMM with Gibbs sampling: samplers', () => {
  // exact posterior over the 5 partitions of 3 points, p(S|Y) ∝ p(S) Π_c p(Y_c), by enumeration
  const Y = [[0, 0], [0.6, 0.2], [2, 1.5]];
  const parts = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1], [0, 1, 2]];
  const alpha = 1.3;
  const nw = normalWishart({ mean: [0, 0], kappa: 0.5, df: 3, scale: [[1, 0], [0, 1]] });
  const base: DPMMBase = { type: 'normal-wishart', mean: [0, 0], kappa: 0.5, df: 3, scale: [[1, 0], [0, 1]] };
  const logPost = parts.map((z) => {
    const K = Math.max(...z) + 1;
    let s = 0;
    for (let k = 0; k < K; k++) {
      const rows = Y.filter((_, i) => z[i] === k);
      // CRP: α^K Π (n_k − 1)!
      s += Math.log(alpha) + Array.from({ length: rows.length - 1 }, (_, j) => Math.log(j + 1)).reduce((a, b) => a + b, 0);
      s += nw.logMarginalLikelihood(rows);
    }
    return s;
  });
  const mx = Math.max(...logPost);
  const tot = logPost.reduce((a, b) => a + Math.exp(b - mx), 0);
  const exact = logPost.map((v) => Math.exp(v - mx) / tot);

  test.each(['collapsed', 'two-step'] as const)('%s sampler visits partitions of 3 points with their exact posterior probabilities', (sampler) => {
    const m = fitDPMM(Y, { alpha, base, sampler, iterations: 20000, burnIn: 100, seed: 1 });
    const which = m.samples.map((z) => parts.findIndex((p) => p.every((v, i) => v === z[i])));
    const S = which.length;
    expect(m.stationary).toBe(true); // batch-means stationarity check of the log-joint trace
    // the chain is autocorrelated: the standard error of each frequency comes from 40 batch means
    const B = 40;
    const L = Math.floor(S / B);
    exact.forEach((p, j) => {
      const means = Array.from({ length: B }, (_, b) => which.slice(b * L, (b + 1) * L).filter((w) => w === j).length / L);
      const f = means.reduce((a, v) => a + v, 0) / B;
      const se = Math.sqrt(means.reduce((a, v) => a + (v - f) ** 2, 0) / (B - 1) / B);
      expect(Math.abs(f - p)).toBeLessThan(4 * se);
    });
    // the collapsed log joint recorded in the trace is log p(Y, S) = log p(S) + Σ log p(Y_c)
    const z = m.samples[m.samples.length - 1]!;
    const j = parts.findIndex((p) => p.every((v, i) => v === z[i]));
    const logPS = logPost[j]! + Math.log(1 / (alpha * (alpha + 1) * (alpha + 2))) + Math.log(1); // normalise CRP: Γ(α)/Γ(α+n)
    expect(m.report.trace![m.report.trace!.length - 1]).toBeCloseTo(logPS, 9);
  });

  const data = gaussianClusters(200, FOUR_CENTERS, 0.5, 3);
  test.each([
    ['collapsed', NW],
    ['collapsed', KNOWN],
    ['two-step', NW],
    ['two-step', KNOWN],
  ] as const)('%s sampler recovers 4 well-separated clusters (ARI ≥ 0.95), base %#', (sampler, b) => {
    const m = fitDPMM(data.X, { alpha: 1, base: b, sampler, iterations: 60, burnIn: 20, seed: 2 });
    expect(adjustedRandIndex(m.mapAssignments, data.labels)).toBeGreaterThanOrEqual(0.95);
    expect(m.numClusters).toBeGreaterThanOrEqual(4);
    expect(m.numClusters).toBeLessThanOrEqual(5); // an outlier may sit alone in a kept sample
    expect(m.numClustersTrace.length).toBe(60);
    expect(m.samples.length).toBe(40);
  });

  test('co-clustering matrix and predictive density (integrates to 1 on a grid)', () => {
    const m = fitDPMM(data.X, { alpha: 1, base: KNOWN, iterations: 30, burnIn: 20, seed: 4 });
    const cc = m.coClustering([0, 4, 1]); // points 0 and 4 share a cluster, 1 does not
    expect(cc.get(0, 0)).toBe(1);
    expect(cc.get(0, 1)).toBeCloseTo(1, 12);
    expect(cc.get(0, 2)).toBeCloseTo(0, 12);
    expect(cc.get(1, 2)).toBe(cc.get(2, 1));
    const grid: number[][] = [];
    const g = 121;
    for (let i = 0; i < g; i++) for (let j = 0; j < g; j++) grid.push([-9 + (18 * i) / (g - 1), -9 + (18 * j) / (g - 1)]);
    const lp = m.logPredictiveDensity(grid);
    const logZ = logIntegrate2D((x, y) => lp[Math.round(((x + 9) / 18) * (g - 1)) * g + Math.round(((y + 9) / 18) * (g - 1))]!, [-9, 9], [-9, 9], g - 1);
    expect(logZ).toBeCloseTo(0, 2);
    const near = m.logPredictiveDensity([[4, 4]])[0]!;
    const far = m.logPredictiveDensity([[0, 0]])[0]!;
    expect(near).toBeGreaterThan(far + 5);
  });

  test("the notes' two effects: larger α → more clusters; larger base variance → fewer", () => {
    const d = gaussianClusters(60, [[0, 0], [1.5, 0], [3, 0]], 0.6, 5);
    const meanK = (alpha: number, v: number) => {
      const b: DPMMBase = { type: 'normal', mean: [1.5, 0], covariance: [[v, 0], [0, v]], noiseCovariance: [[0.36, 0], [0, 0.36]] };
      const m = fitDPMM(d.X, { alpha, base: b, iterations: 300, burnIn: 50, seed: 6 });
      return m.numClustersTrace.slice(50).reduce((a, c) => a + c, 0) / 250;
    };
    expect(meanK(10, 4)).toBeGreaterThan(meanK(0.1, 4) + 1);
    expect(meanK(1, 1000)).toBeLessThan(meanK(1, 1) - 0.5);
  });

  test('JSON round trip, immutability, bad input and abort', () => {
    const m = fitDPMM(data.X.slice(0, 40), { base: NW, iterations: 5, burnIn: 2, seed: 7 });
    const progress: number[] = [];
    const thinned = fitDPMM(data.X.slice(0, 40), { base: NW, iterations: 12, burnIn: 2, thin: 5, seed: 7, onProgress: (p) => progress.push(p.iteration) });
    expect(thinned.samples.length).toBe(2);
    expect(progress.length).toBe(12);
    const again = DPMMModel.fromJSON(JSON.parse(JSON.stringify(m.toJSON())));
    expect(again.toJSON()).toEqual(m.toJSON());
    expect(Array.from(again.logPredictiveDensity([[1, 1]]))).toEqual(Array.from(m.logPredictiveDensity([[1, 1]])));
    expect(Object.isFrozen(m)).toBe(true);
    // writing into what the model hands out, or into the JSON it was rebuilt from, leaves it unchanged
    const json = JSON.stringify(m.toJSON());
    const dens = Array.from(m.logPredictiveDensity([[1, 1]]));
    m.mapAssignments.fill(9);
    for (const z of m.samples) z.fill(9);
    expect(() => {
      (m.base.mean as number[])[0] = 100;
    }).toThrow(TypeError);
    expect(JSON.stringify(m.toJSON())).toBe(json);
    expect(m.numClusters).toBe(Math.max(...JSON.parse(json).mapAssignments) + 1);
    expect(Array.from(m.logPredictiveDensity([[1, 1]]))).toEqual(dens);
    const src = JSON.parse(json);
    const rebuilt = DPMMModel.fromJSON(src);
    src.base.mean[0] = 100;
    src.samples[0].fill(9);
    expect(JSON.stringify(rebuilt.toJSON())).toBe(json);
    expect(() => fitDPMM(data.X, { base: NW, alpha: 0 })).toThrow(/'alpha'/);
    expect(() => fitDPMM(data.X, { base: { ...NW, scale: [[1, 2], [2, 1]] } as DPMMBase })).toThrow(/'base.scale'/);
    expect(() => fitDPMM(data.X, { base: { ...KNOWN, covariance: [[-1, 0], [0, 1]] } as DPMMBase })).toThrow(/'base.covariance'/);
    expect(() => fitDPMM(data.X, { base: NW, iterations: 10, burnIn: 10 })).toThrow(/'burnIn'/);
    // finite data far beyond the base measure's scale break the Cholesky factors: the message names X
    expect(() => fitDPMM([[0, 0], [1e200, 1e200], [-1e200, 3e200]], { base: NW, iterations: 3, burnIn: 1 })).toThrow(
      expect.objectContaining({ code: 'domain', message: expect.stringMatching(/'X'/) }),
    );
    expect(() => fitDPMM([[1, Number.NaN]], { base: NW })).toThrow(expect.objectContaining({ code: 'non-finite' }));
    expect(() => fitDPMM([[1, 2, 3]], { base: NW })).toThrow(/'base.mean'/);
    const c = new AbortController();
    c.abort();
    expect(() => fitDPMM(data.X, { base: NW, signal: c.signal })).toThrow(expect.objectContaining({ code: 'aborted' }));
    expect(createRng(1)).toBeDefined();
  });
});

describe('DPMMModel.fromJSON: tampered cluster statistics', () => {
  test.each([
    ['normal-wishart, a negative sum of squares', NW, (s: number[], L: number) => { s[3] = -1e6; s[L - 1] = -1e6; }],
    ['known covariance, a sum that overflows the posterior mean', KNOWN, (s: number[]) => { s[1] = 1e308; }],
  ] as const)('%s is a DomainError naming the field at load time, not a later error naming fitDPMM and X', (_name, base, tamper) => {
    const m = fitDPMM(gaussianClusters(40, FOUR_CENTERS, 0.5, 3).X, { base, iterations: 4, burnIn: 1, seed: 2 });
    const json = JSON.parse(JSON.stringify(m.toJSON()));
    tamper(json.stats[0], 1 + 2 + 4);
    expect(() => DPMMModel.fromJSON(json)).toThrow(expect.objectContaining({ code: 'domain', message: expect.stringMatching(/^DPMMModel\.fromJSON: field 'stats\[0\]'/) }));
  });
});

describe('DPMM with Gibbs sampling: adjusted Rand index', () => {
  test('matches scikit-learn values on small examples', () => {
    expect(adjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0])).toBe(1);
    expect(adjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2])).toBeCloseTo(0.5714285714285714, 12);
    expect(adjustedRandIndex([0, 0, 0, 0], [0, 1, 2, 3])).toBe(0);
    expect(adjustedRandIndex([0, 0, 1, 2], [0, 0, 1, 1])).toBeCloseTo(0.5714285714285714, 12);
    expect(() => adjustedRandIndex([0], [0, 1])).toThrow(/'b'/);
  });
});
