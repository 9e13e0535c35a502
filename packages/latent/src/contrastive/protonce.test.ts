/**
 * 聚类 · Prototypical Contrastive Learning (notes): the ProtoNCE loss against a hand computation, its
 * gradients against central differences, the InfoNCE special case, the concentration formula, and the
 * fit's conventions.
 */
import { readFileSync } from 'node:fs';
import { abortLatencies, checkEstimator } from '@notes/check-kit';
import { createRng, gradcheck, MLP, noGrad, Tensor, variableGrads } from '@notes/core-linalg';
import { afterAll, describe, expect, test } from 'vitest';
import { affineWarp, augmentRows } from './augment.js';
import { concentrations, kmeansRows } from './kmeans.js';
import { infoNCELoss, l2Normalize, prototypeLoss, protoNCELoss } from './losses.js';
import { adjustedMutualInfo, normalizedMutualInfo } from './metrics.js';
import { ContrastiveModel, fitProtoNCE, fitProtoNCEAsync } from './protonce.js';

function unitRows(rows: number[][]): number[][] {
  return rows.map((r) => {
    const s = Math.hypot(...r);
    return r.map((v) => v / s);
  });
}
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * (b[i] as number), 0);
const T = (rows: number[][]) => Tensor.fromArray(rows.flat(), [rows.length, (rows[0] as number[]).length]);

/** Four well-separated blobs in 2-D, padded with 6 noise coordinates. */
function blobs(perBlob: number, seed: number): { X: number[][]; y: number[] } {
  const rng = createRng(seed);
  const centres = [
    [3, 3],
    [-3, 3],
    [3, -3],
    [-3, -3],
  ];
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < perBlob * 4; i++) {
    const c = centres[i % 4] as number[];
    X.push([...c.map((v) => v + 0.7 * rng.normal()), ...Array.from({ length: 6 }, () => 1.5 * rng.normal())]);
    y.push(i % 4);
  }
  return { X, y };
}

describe('ProtoNCE loss', () => {
  const q = unitRows([
    [1, 0.2],
    [0.3, -1],
    [-0.8, 0.5],
  ]);
  const k = unitRows([
    [0.9, 0.4],
    [0.1, -1],
    [-1, 0.2],
  ]);
  const C = unitRows([
    [1, 0],
    [-0.5, -0.5],
  ]);
  const assign = [0, 1, 1];
  const phi = [0.15, 0.3];
  const tau = 0.2;

  test('equals a hand computation on a 3-row batch with 2 prototypes', () => {
    let info = 0;
    for (let i = 0; i < 3; i++) {
      const num = Math.exp(dot(q[i] as number[], k[i] as number[]) / tau);
      let den = 0;
      for (let j = 0; j < 3; j++) den += Math.exp(dot(q[i] as number[], k[j] as number[]) / tau);
      info += -Math.log(num / den);
    }
    let proto = 0;
    for (let i = 0; i < 3; i++) {
      const s = assign[i] as number;
      const num = Math.exp(dot(q[i] as number[], C[s] as number[]) / (phi[s] as number));
      let den = 0;
      for (let j = 0; j < 2; j++) den += Math.exp(dot(q[i] as number[], C[j] as number[]) / (phi[j] as number));
      proto += -Math.log(num / den);
    }
    const hand = (info + proto) / 3;
    const sets = [{ prototypes: T(C), assign: Int32Array.from(assign), phi: Float64Array.from(phi) }];
    const ours = protoNCELoss(T(q), T(k), tau, sets, [0, 1, 2]).item();
    expect(Math.abs(ours - hand)).toBeLessThan(1e-14);
    // two granularities are averaged: the same set twice gives the same loss
    expect(protoNCELoss(T(q), T(k), tau, [...sets, ...sets], [0, 1, 2]).item()).toBeCloseTo(hand, 14);
    // no sets: InfoNCE alone
    expect(Math.abs(protoNCELoss(T(q), T(k), tau, [], [0, 1, 2]).item() - info / 3)).toBeLessThan(1e-14);
  });

  test('with k = batch size, prototypes = the positive keys and φ = τ, the prototype term is InfoNCE', () => {
    // Li et al. 2021, §3.3: InfoNCE is the special case of the prototype term in which every instance is its
    // own cluster (c_i = v'_i, k = n) and the concentration is fixed to τ. Checked on a random 16-row batch.
    const rng = createRng(4);
    const n = 16;
    const rows = (m: number) => Array.from({ length: m }, () => Array.from({ length: 5 }, () => rng.normal()));
    const qq = noGrad(() => l2Normalize(T(rows(n))));
    const kk = noGrad(() => l2Normalize(T(rows(n))));
    const ident = Int32Array.from({ length: n }, (_, i) => i);
    const protoTerm = prototypeLoss(qq, kk, ident, new Float64Array(n).fill(tau)).item();
    const info = infoNCELoss(qq, kk, tau).item();
    expect(Math.abs(protoTerm - info)).toBeLessThan(1e-14);
    // so ProtoNCE with that one granularity is exactly 2 × InfoNCE
    const total = protoNCELoss(qq, kk, tau, [{ prototypes: kk, assign: ident, phi: new Float64Array(n).fill(tau) }], ident).item();
    expect(Math.abs(total - 2 * info)).toBeLessThan(1e-13);
  });

  test('gradients w.r.t. the raw (un-normalised) query and key rows pass gradcheck', () => {
    const sets = [{ prototypes: T(C), assign: Int32Array.from(assign), phi: Float64Array.from(phi) }];
    const r = gradcheck((a, b) => protoNCELoss(l2Normalize(a), l2Normalize(b), tau, sets, [0, 1, 2]), [
      T([
        [1, 0.2],
        [0.3, -1],
        [-0.8, 0.5],
      ]),
      T([
        [0.9, 0.4],
        [0.1, -1],
        [-1, 0.2],
      ]),
    ]);
    expect(r.maxRelError).toBeLessThan(1e-7);
  });

  test('gradients w.r.t. every encoder parameter match central differences', () => {
    // tanh: a ReLU encoder can map a row exactly to 0, where the normalisation is not differentiable
    const net = new MLP([4, 5, 3], { seed: 3, activation: 'tanh' });
    const rng = createRng(5);
    const x1 = T(Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rng.normal())));
    const x2 = T(Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rng.normal())));
    const protos = noGrad(() => l2Normalize(T(Array.from({ length: 3 }, () => [rng.normal(), rng.normal(), rng.normal()]))));
    const sets = [{ prototypes: protos, assign: Int32Array.from([0, 1, 2, 0, 1, 2]), phi: Float64Array.from([0.1, 0.2, 0.3]) }];
    const loss = () => protoNCELoss(l2Normalize(net.forward(x1)), l2Normalize(net.forward(x2)), 0.2, sets, [0, 1, 2, 3, 4, 5]);
    const params = net.parameters();
    const { grads } = variableGrads(loss, params);
    const eps = 1e-6;
    let worst = 0;
    params.forEach((p, kk) => {
      for (let i = 0; i < p.size; i++) {
        const x0 = p.data[i] as number;
        p.data[i] = x0 + eps;
        const fp = noGrad(loss).item();
        p.data[i] = x0 - eps;
        const fm = noGrad(loss).item();
        p.data[i] = x0;
        worst = Math.max(worst, Math.abs((fp - fm) / (2 * eps) - (grads[kk]?.data[i] as number)) / Math.max(1, Math.abs((fp - fm) / (2 * eps))));
      }
    });
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('ProtoNCE E-step: k-means prototypes and concentrations', () => {
  test('φ = Σ‖v − c‖ / (Z log(Z + α)), singletons get the largest φ, clipped to the 10–90th percentiles and scaled to mean τ', () => {
    // 4 clusters: sizes 3, 2, 1, 2 with known distances
    const assign = Int32Array.from([0, 0, 0, 1, 1, 2, 3, 3]);
    const dist = [0.1, 0.2, 0.3, 0.4, 0.6, 0, 0.05, 0.05];
    const dist2 = Float64Array.from(dist.map((d) => d * d));
    const alpha = 10;
    const raw = [0.6 / (3 * Math.log(13)), 1.0 / (2 * Math.log(12)), 0, 0.1 / (2 * Math.log(12))];
    raw[2] = Math.max(raw[0] as number, raw[1] as number, raw[3] as number);
    const sorted = [...raw].sort((a, b) => a - b);
    const pct = (p: number) => {
      const pos = (3 * p) / 100;
      const lo = Math.floor(pos);
      return (sorted[lo] as number) + ((sorted[Math.ceil(pos)] as number) - (sorted[lo] as number)) * (pos - lo);
    };
    const clipped = raw.map((v) => Math.min(pct(90), Math.max(pct(10), v)));
    const mean = clipped.reduce((s, v) => s + v, 0) / 4;
    const expected = clipped.map((v) => (0.2 * v) / mean);
    const phi = concentrations(assign, dist2, 4, alpha, 0.2);
    expected.forEach((v, j) => {
      expect(phi[j]).toBeCloseTo(v, 14);
    });
    expect(Array.from(phi).reduce((s, v) => s + v, 0) / 4).toBeCloseTo(0.2, 14);
  });

  test('k-means finds four separated blobs', () => {
    const { X, y } = blobs(25, 1);
    const data = Float64Array.from(X.flatMap((r) => r.slice(0, 2)));
    const { assign } = kmeansRows(data, X.length, 2, 4, createRng(2), 50);
    expect(adjustedMutualInfo(y, assign)).toBeGreaterThan(0.95);
  });
});

describe('clustering scores match scikit-learn', () => {
  const fixture = JSON.parse(readFileSync(new URL('./fixtures/clustering-scores.json', import.meta.url), 'utf8')) as {
    cases: { name: string; a: number[]; b: number[]; nmi: number; ami: number }[];
  };
  for (const c of fixture.cases) {
    test(`${c.name}: NMI and AMI to 1e-10`, () => {
      expect(Math.abs(normalizedMutualInfo(c.a, c.b) - c.nmi)).toBeLessThan(1e-10);
      expect(Math.abs(adjustedMutualInfo(c.a, c.b) - c.ami)).toBeLessThan(1e-10);
    });
  }
});

describe('fitProtoNCE', () => {
  const quick = { clusters: [4, 8], hiddenUnits: 16, embedDim: 4, epochs: 3, warmupEpochs: 1, batchSize: 25, seed: 3 };

  test('the same seed gives the same encoder; JSON round trip is exact', () => {
    const { X } = blobs(25, 2);
    const a = fitProtoNCE(X, quick);
    const b = fitProtoNCE(X, quick);
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify({ ...b.toJSON(), report: { ...b.report, elapsedMs: a.report.elapsedMs } }));
    const back = ContrastiveModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON())));
    expect(back.embed(X).to2DArray()).toEqual(a.embed(X).to2DArray());
    const norms = a.embed(X).to2DArray().map((r) => Math.hypot(...r));
    for (const v of norms) expect(Math.abs(v - 1)).toBeLessThan(1e-10); // ‖h‖/sqrt(‖h‖² + 1e-12)
  });

  test('progress reports the InfoNCE and prototype parts; warm-up epochs have no prototype term', () => {
    const { X } = blobs(25, 2);
    const seen: { epoch: number; objective: number; infoNCE: number; prototype: number }[] = [];
    fitProtoNCE(X, { ...quick, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(seen[0]?.prototype).toBe(0);
    expect(seen[0]?.objective).toBeCloseTo(seen[0]?.infoNCE as number, 12);
    expect(seen[2]?.prototype).toBeGreaterThan(0);
    const base: { prototype: number }[] = [];
    fitProtoNCE(X, { ...quick, loss: 'infonce', onProgress: (p) => base.push(p) });
    expect(base.every((p) => p.prototype === 0)).toBe(true);
  });

  test('rejects k > n and an image shape that does not match the columns', () => {
    const { X } = blobs(2, 1);
    expect(() => fitProtoNCE(X, { clusters: [10] })).toThrow(/k = 10 clusters of only 8 rows/);
    expect(() => fitProtoNCE(X, { ...quick, clusters: [2], imageShape: [3, 3] })).toThrow(/imageShape/);
  });

  test('the prototype terms keep the cluster structure that InfoNCE alone spreads out (4 blobs + 6 noise coordinates)', () => {
    // Measured (mean AMI of k-means on the embeddings over 3 k-means seeds): untrained encoder 0.82,
    // after 10 epochs InfoNCE 0.39, ProtoNCE 0.66. On this toy neither loss beats the random encoder:
    // noise and masking views carry no information about blob identity.
    const { X, y } = blobs(50, 7);
    const opts = { clusters: [4, 8], hiddenUnits: 32, embedDim: 8, batchSize: 50, warmupEpochs: 2, noise: 0.3, maskProb: 0.1, seed: 5, epochs: 10, learningRate: 3e-3 };
    const score = (loss: 'protonce' | 'infonce') => {
      const V = fitProtoNCE(X, { ...opts, loss }).embed(X);
      let s = 0;
      for (let r = 0; r < 3; r++) {
        const { assign } = kmeansRows(Float64Array.from(V.to2DArray().flat()), X.length, V.columns, 4, createRng(r), 50);
        s += adjustedMutualInfo(y, assign) / 3;
      }
      return s;
    };
    expect(score('protonce')).toBeGreaterThan(score('infonce') + 0.15);
  });
});

describe('views: geometric augmentations', () => {
  const h = 5;
  const w = 5;
  const img = Float64Array.from({ length: h * w }, (_, i) => 1 + i);
  const at = (a: Float64Array, r: number, c: number) => (r >= 0 && r < h && c >= 0 && c < w ? (a[r * w + c] as number) : 0);

  test('the affine warp with no rotation or zoom and an integer translation is the zero-filled shift', () => {
    const out = new Float64Array(h * w);
    affineWarp(img, out, 0, h, w, 0, 1, 1, -2);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) expect(out[r * w + c]).toBeCloseTo(at(img, r - 1, c + 2), 12);
  });

  test('a rotation by 90° about the centre permutes the pixels exactly (out[r][c] = in[c][w−1−r] with the y axis down)', () => {
    const out = new Float64Array(h * w);
    affineWarp(img, out, 0, h, w, Math.PI / 2, 1, 0, 0);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) expect(out[r * w + c]).toBeCloseTo(at(img, c, w - 1 - r), 12);
  });

  test('a half-pixel translation averages neighbours (bilinear)', () => {
    const out = new Float64Array(h * w);
    affineWarp(img, out, 0, h, w, 0, 1, 0, 0.5);
    expect(out[2 * w + 2]).toBeCloseTo((at(img, 2, 2) + at(img, 2, 1)) / 2, 12);
  });

  test('random erasing zeroes one rectangle of sides at most half the image and keeps every other pixel', () => {
    const cfg = { imageShape: [h, w] as [number, number], maxShift: 0, maxRotation: 0, maxScale: 0, eraseProb: 1, maskProb: 0, noise: 0 };
    const rng = createRng(5);
    for (let trial = 0; trial < 20; trial++) {
      const out = augmentRows(img, 1, h * w, cfg, rng);
      const zero: [number, number][] = [];
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          if (out[r * w + c] === 0) zero.push([r, c]);
          else expect(out[r * w + c]).toBe(img[r * w + c]);
        }
      }
      const rs = zero.map((p) => p[0]);
      const cs = zero.map((p) => p[1]);
      const eh = Math.max(...rs) - Math.min(...rs) + 1;
      const ew = Math.max(...cs) - Math.min(...cs) + 1;
      expect(zero.length).toBe(eh * ew); // a full rectangle
      expect(eh).toBeLessThanOrEqual(3);
      expect(ew).toBeLessThanOrEqual(3);
    }
  });

  test('a fit with rotations, zoom and erasing runs and is seeded', () => {
    const X = Array.from({ length: 30 }, (_, i) => Array.from({ length: 16 }, (_, j) => Math.sin(i + j)));
    const o = { loss: 'infonce' as const, imageShape: [4, 4] as [number, number], maxRotation: 15, maxScale: 0.1, eraseProb: 0.5, hiddenUnits: 8, embedDim: 3, epochs: 2, batchSize: 10, seed: 2 };
    const a = fitProtoNCE(X, o).embed(X).to2DArray();
    expect(fitProtoNCE(X, o).embed(X).to2DArray()).toEqual(a);
    expect(fitProtoNCE(X, { ...o, maxRotation: 0 }).embed(X).to2DArray()).not.toEqual(a);
  });
});

describe('ContrastiveModel.embed: hidden-layer representation', () => {
  test('hiddenLayer h returns the activations of hidden layer h (checked against the weights in the JSON)', () => {
    const { X } = blobs(5, 2);
    const model = fitProtoNCE(X, { loss: 'infonce', hiddenUnits: 6, hiddenLayers: 2, embedDim: 3, epochs: 1, batchSize: 10, seed: 1 });
    const p = model.toJSON().params; // [W1 (8×6 or 6×8), b1, W2, b2, W3, b3]
    const H = model.embed(X, { hiddenLayer: 1 }).to2DArray();
    expect(H[0]).toHaveLength(6);
    const W = p[0] as number[];
    const b = p[1] as number[];
    // Linear stores its weight as in × out (x W + b) or out × in; accept the layout that reproduces the output
    const viaInOut = X.map((x) => b.map((bj, j) => Math.max(0, bj + x.reduce((s, v, i) => s + v * (W[i * 6 + j] as number), 0))));
    const viaOutIn = X.map((x) => b.map((bj, j) => Math.max(0, bj + x.reduce((s, v, i) => s + v * (W[j * 8 + i] as number), 0))));
    const err = (A: number[][]) => Math.max(...A.flatMap((r, i) => r.map((v, j) => Math.abs(v - (H[i]?.[j] as number)))));
    expect(Math.min(err(viaInOut), err(viaOutIn))).toBeLessThan(1e-12);
    expect(model.embed(X, { hiddenLayer: 2 }).columns).toBe(6);
    expect(() => model.embed(X, { hiddenLayer: 3 })).toThrow(/hiddenLayer' must be at most 2/);
    expect(() => model.embed(X, { hiddenLayr: 1 } as never)).toThrow(/hiddenLayer/);
  });
});

describe('fitProtoNCE: conventions (check-kit)', () => {
  for (const c of checkEstimator({
    name: 'fitProtoNCE',
    data: () => [blobs(10, 3).X],
    fit: fitProtoNCE,
    fitAsync: fitProtoNCEAsync,
    options: { clusters: [3, 5], hiddenUnits: 8, embedDim: 3, epochs: 2, warmupEpochs: 1, batchSize: 10, seed: 1 },
    slowOptions: { hiddenUnits: 64, epochs: 1_000_000, batchSize: 10 },
    fromJSON: ContrastiveModel.fromJSON,
    tamper: [
      { path: 'kind', value: 'Encoder' },
      { path: 'version', value: 0 },
      { path: 'config.inputDim', value: 0 },
      { path: 'config.embedDim', value: 2.5 },
      { path: 'config.activation', value: 'gelu' },
      { path: 'loss', value: 'nce' },
      { path: 'temperature', value: -0.1 },
      { path: 'params', value: [] },
      { path: 'params.0.0', value: null },
      { path: 'report.iterations', value: -1 },
    ],
  })) {
    test(c.name, c.run);
  }
});

afterAll(() => {
  for (const a of abortLatencies) console.log(`abort latency ${a.name}: ${a.latencyMs.toFixed(1)} ms`);
});
